"""The email templates Ascend sends, with the placeholders each one offers.

Template files live in ``templates/emails/<language>/<name>.subject.txt`` and
``.body.txt``; a workspace may override them per language. Contexts hold plain
strings only, so an admin's template can show nothing but what is listed here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class EmailTemplateSpec:
    name: str
    label: str
    placeholders: dict[str, str] = field(default_factory=dict)
    sample: dict[str, str] = field(default_factory=dict)


_COMMON = {
    "workspace_name": _("Your workspace's name"),
    "recipient_name": _("The recipient's name"),
}
_COMMON_SAMPLE = {"workspace_name": "Summit Coaching", "recipient_name": "Alex Rivera"}

_PROGRAM = {
    "program_title": _("The program"),
    "cohort_name": _("The cohort"),
    "coach_name": _("The coach"),
    "start_date": _("The client's start date"),
    "program_url": _("The link to the program page"),
}
_PROGRAM_SAMPLE = {
    "program_title": "12-week reset",
    "cohort_name": "Spring group",
    "coach_name": "Carlos Vega",
    "start_date": "1 March 2027",
    "program_url": "https://summit.example.com/me/programs/1/",
}

_RANK = {
    "rank_word": _("Your word for ranks (Belts, Rankings, Challenges…)"),
    "client_name": _("The client"),
    "category_name": _("The category, e.g. Karate"),
    "current_rank": _("The client's current rank"),
    "next_rank": _("The next rank"),
    "ranks_url": _("The client's ranks page"),
    "profile_url": _("The client's profile, for staff"),
}
_RANK_SAMPLE = {
    "rank_word": "Belts",
    "client_name": "Camila Reyes",
    "category_name": "Karate",
    "current_rank": "White belt",
    "next_rank": "Yellow belt",
    "ranks_url": "https://summit.example.com/me/ranks/",
    "profile_url": "https://summit.example.com/team/ranks/clients/7/",
}

EMAIL_TEMPLATES: dict[str, EmailTemplateSpec] = {
    spec.name: spec
    for spec in [
        EmailTemplateSpec(
            "staff_invitation",
            _("Invitation to join the team"),
            {
                **_COMMON,
                "inviter_name": _("Who sent the invitation"),
                "roles": _("The roles offered"),
                "accept_url": _("The link that accepts the invitation"),
                "expires_on": _("The date the link stops working"),
            },
            {
                **_COMMON_SAMPLE,
                "inviter_name": "Jordan Lee",
                "roles": "Coach",
                "accept_url": "https://summit.example.com/invitations/sample/",
                "expires_on": "4 December 2026",
            },
        ),
        EmailTemplateSpec(
            "password_reset",
            _("Password reset"),
            {**_COMMON, "reset_url": _("The link that sets a new password")},
            {**_COMMON_SAMPLE, "reset_url": "https://summit.example.com/reset/sample/"},
        ),
        EmailTemplateSpec(
            "program_enrolled",
            _("Enrolled in a program"),
            {**_COMMON, **_PROGRAM},
            {**_COMMON_SAMPLE, **_PROGRAM_SAMPLE},
        ),
        EmailTemplateSpec(
            "cohort_starting",
            _("Program starts tomorrow"),
            {**_COMMON, **_PROGRAM},
            {**_COMMON_SAMPLE, **_PROGRAM_SAMPLE},
        ),
        EmailTemplateSpec(
            "habit_off_track_client",
            _("Habit off track (to the client)"),
            {**_COMMON, **_PROGRAM, "habit_title": _("The habit")},
            {**_COMMON_SAMPLE, **_PROGRAM_SAMPLE, "habit_title": "Walk 20 minutes"},
        ),
        EmailTemplateSpec(
            "habit_off_track_coach",
            _("Habit off track (to the coach)"),
            {**_COMMON, **_PROGRAM, "habit_title": _("The habit"), "client_name": _("The client")},
            {
                **_COMMON_SAMPLE,
                **_PROGRAM_SAMPLE,
                "habit_title": "Walk 20 minutes",
                "client_name": "Camila Reyes",
                "recipient_name": "Carlos Vega",
            },
        ),
        EmailTemplateSpec(
            "program_not_enrolled",
            _("Subscriber not enrolled: no open cohort (to admins)"),
            {
                **_COMMON,
                "client_name": _("The client"),
                "plan_name": _("The membership"),
                "program_title": _("The program"),
                "cohorts_url": _("The program's page"),
            },
            {
                **_COMMON_SAMPLE,
                "client_name": "Camila Reyes",
                "plan_name": "Gold",
                "program_title": "12-week reset",
                "cohorts_url": "https://summit.example.com/team/programs/1/",
            },
        ),
        EmailTemplateSpec(
            "rank_eligible_staff",
            _("Client eligible for promotion (to staff)"),
            {**_COMMON, **_RANK},
            {**_COMMON_SAMPLE, **_RANK_SAMPLE, "recipient_name": "Omar Vidal"},
        ),
        EmailTemplateSpec(
            "rank_eligible_client",
            _("Eligible for promotion (to the client)"),
            {**_COMMON, **_RANK},
            {**_COMMON_SAMPLE, **_RANK_SAMPLE},
        ),
        EmailTemplateSpec(
            "rank_promoted",
            _("Promoted (to the client)"),
            {**_COMMON, **_RANK},
            {
                **_COMMON_SAMPLE,
                **_RANK_SAMPLE,
                "current_rank": "Yellow belt",
                "next_rank": "Yellow belt",
            },
        ),
        EmailTemplateSpec(
            "unread_messages",
            _("Unread messages"),
            {
                **_COMMON,
                "sender_name": _("Who wrote"),
                "conversation_name": _("The conversation"),
                "unread_count": _("How many messages are unread"),
                "preview": _("The start of the first unread message"),
                "conversation_url": _("The link to the conversation"),
            },
            {
                **_COMMON_SAMPLE,
                "sender_name": "Carlos Vega",
                "conversation_name": "your conversation with Carlos Vega",
                "unread_count": "2",
                "preview": "How did the first week go?",
                "conversation_url": "https://summit.example.com/me/messages/4/",
            },
        ),
        EmailTemplateSpec(
            "message_audited",
            _("A reply was audited (to the coach and their head coach)"),
            {
                **_COMMON,
                "auditor_name": _("The auditor"),
                "coach_name": _("The coach who replied"),
                "client_name": _("The client"),
                "grade": _("Outstanding, suggestion or needs improvement"),
                "feedback": _("The auditor's feedback"),
                "conversation_url": _("The link to the conversation"),
            },
            {
                **_COMMON_SAMPLE,
                "recipient_name": "Carlos Vega",
                "auditor_name": "Dana Kim",
                "coach_name": "Carlos Vega",
                "client_name": "Camila Reyes",
                "grade": "Needs improvement",
                "feedback": "Answer the question about meal timing directly.",
                "conversation_url": "https://summit.example.com/coach/messages/4/",
            },
        ),
        EmailTemplateSpec(
            "support_answered",
            _("Support request answered (to the learner)"),
            {
                **_COMMON,
                "staff_name": _("Who answered"),
                "subject": _("The request's subject"),
                "preview": _("The start of the answer"),
                "thread_url": _("The link to the request's thread"),
            },
            {
                **_COMMON_SAMPLE,
                "staff_name": "Dana Kim",
                "subject": "The video of lesson 3 doesn't play",
                "preview": "Thanks for telling us! The video works again: reload the page.",
                "thread_url": "https://summit.example.com/me/support/12/",
            },
        ),
        EmailTemplateSpec(
            "client_invitation",
            _("Invitation to the client portal"),
            {
                **_COMMON,
                "coach_name": _("The client's coach"),
                "message": _("The optional message written with the invitation"),
                "package_name": _("The package given with the invitation, if any"),
                "accept_url": _("The link that accepts the invitation"),
                "expires_on": _("The date the link stops working"),
            },
            {
                **_COMMON_SAMPLE,
                "coach_name": "Carlos Vega",
                "message": "Looking forward to working with you!",
                "package_name": "Ten coaching sessions",
                "accept_url": "https://summit.example.com/join/sample/",
                "expires_on": "4 December 2026",
            },
        ),
        EmailTemplateSpec(
            "client_assigned",
            _("New client assigned (to the coach)"),
            {
                **_COMMON,
                "client_name": _("The client"),
                "client_email": _("The client's email"),
                "inviter_name": _("Who sent the invitation"),
                "contacts_url": _("The coach's contacts page"),
            },
            {
                **_COMMON_SAMPLE,
                "recipient_name": "Carlos Vega",
                "client_name": "Camila Reyes",
                "client_email": "camila@example.com",
                "inviter_name": "Jordan Lee",
                "contacts_url": "https://summit.example.com/coach/contacts/",
            },
        ),
        EmailTemplateSpec(
            "password_changed",
            _("Password changed"),
            dict(_COMMON),
            dict(_COMMON_SAMPLE),
        ),
        EmailTemplateSpec(
            "course_access",
            _("Access to a course (to the learner)"),
            {
                **_COMMON,
                "products": _("The products the learner can open"),
                "access_url": _("The link to the course portal (sets a password on first visit)"),
                "expires_on": _("The last day of access; empty when it has no end"),
                "has_password": _("Not empty when the learner already has a password"),
            },
            {
                **_COMMON_SAMPLE,
                "products": "Strength Foundations",
                "access_url": "https://summit.example.com/access/MQ/sample/",
                "expires_on": "4 December 2027",
                "has_password": "",
            },
        ),
    ]
}


def get_spec(name: str) -> EmailTemplateSpec:
    return EMAIL_TEMPLATES[name]
