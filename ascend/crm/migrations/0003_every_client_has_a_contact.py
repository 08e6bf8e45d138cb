"""Clients who joined without a contact record (added by hand, by a role change) get one."""

from django.db import migrations

DEFAULT_CLIENT_TYPES = ["Lead", "Prospect", "Contact", "Client"]


def link_clients(apps, schema_editor):
    Membership = apps.get_model("tenancy", "Membership")
    Contact = apps.get_model("crm", "Contact")
    ClientType = apps.get_model("crm", "ClientType")
    clients = Membership.objects.filter(
        is_client=True, removed_at__isnull=True, contact__isnull=True
    ).select_related("user")
    for membership in clients.iterator():
        types = list(ClientType.objects.filter(workspace_id=membership.workspace_id))
        if not types:
            ClientType.objects.bulk_create(
                [
                    ClientType(workspace_id=membership.workspace_id, name=name, position=n)
                    for n, name in enumerate(DEFAULT_CLIENT_TYPES)
                ]
            )
            types = list(ClientType.objects.filter(workspace_id=membership.workspace_id))
        types.sort(key=lambda t: (t.position, t.id))
        client_type = next((t for t in types if t.name.lower() == "client"), types[-1])
        email = membership.user.email.lower()
        contact = Contact.objects.filter(workspace_id=membership.workspace_id, email=email).first()
        if contact is None:
            contact = Contact(
                workspace_id=membership.workspace_id,
                email=email,
                full_name=membership.user.full_name or email,
                client_type=client_type,
                source="manual",
            )
        contact.member = membership
        contact.status = "active"
        contact.save()


class Migration(migrations.Migration):
    dependencies = [("crm", "0002_import_job"), ("tenancy", "0005_session_cancel_cutoff")]

    operations = [migrations.RunPython(link_clients, migrations.RunPython.noop)]
