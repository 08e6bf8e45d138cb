"""The Celery app: a Redis broker in production, eager in-process runs when none is set."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ascend.settings.dev")

app = Celery("ascend")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
