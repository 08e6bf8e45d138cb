"""A real Celery worker, fed through Redis, delivers an email queued by an action.

Everything else runs Celery eagerly; this proves the queued path works end to end:
on-commit queueing, the broker, the worker's own settings and database connection.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import kombu.pools
import pytest
from django.conf import settings
from django.db import connection, transaction

from ascend.celery import app
from ascend.notifications.models import DeliveryState, OutboundEmail
from ascend.notifications.outbox import send_email
from ascend.testing import make_workspace

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
# A database number of its own keeps the test's keys away from a developer's broker.
BROKER_URL = f"redis://{REDIS_HOST}:{REDIS_PORT}/13"
CELERY = Path(settings.BASE_DIR) / ".venv" / "bin" / "celery"
DEADLINE_SECONDS = 30


def require_redis() -> None:
    import redis

    try:
        redis.Redis(host=REDIS_HOST, port=REDIS_PORT, socket_connect_timeout=2).ping()
    except Exception as error:  # noqa: BLE001 - any failure means there is no broker to use
        pytest.skip(f"Redis is not answering on {REDIS_HOST}:{REDIS_PORT}: {error}")


def test_database_url() -> str:
    """The URL of the database this test process uses, for the worker to open too."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    if db["ENGINE"] == "django.db.backends.postgresql":
        credentials = quote(db["USER"] or "", safe="")
        if db.get("PASSWORD"):
            credentials += ":" + quote(db["PASSWORD"], safe="")
        host = db.get("HOST") or "127.0.0.1"
        port = db.get("PORT") or 5432
        return f"postgres://{credentials}@{host}:{port}/{db['NAME']}"
    pytest.fail(f"No worker set-up for the {db['ENGINE']} database engine")


test_database_url.__test__ = False  # type: ignore[attr-defined]  # a helper, not a test


def forget_broker_connections() -> None:
    """Drop the app's connection and producer pools, which keep the broker they were made for.

    Eager runs earlier in the session already made them, for the settings' (empty) broker.
    """
    # kombu keeps pools in a process-wide registry too: a pool closed but still registered
    # there would break every later task call, eager ones included ("Acquire on closed pool").
    kombu.pools.reset()
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None


@contextmanager
def celery_app_on(broker_url: str, queue: str) -> Iterator[None]:
    """Point this process's Celery app at the broker and queue, then put it back."""
    saved = {
        key: app.conf[key] for key in ("broker_url", "task_default_queue", "task_always_eager")
    }
    app.conf.update(broker_url=broker_url, task_default_queue=queue, task_always_eager=False)
    forget_broker_connections()
    try:
        yield
    finally:
        forget_broker_connections()
        app.conf.update(saved)


@contextmanager
def celery_worker(queue: str, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ascend.settings.test",
        "CELERY_BROKER_URL": BROKER_URL,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "DATABASE_URL": test_database_url(),
        "PYTHONPATH": str(settings.BASE_DIR),
    }
    with log.open("wb") as out:
        worker = subprocess.Popen(
            [
                str(CELERY),
                "-A",
                "ascend",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "-Q",
                queue,
                "--hostname",
                f"{queue}@%h",
                "--without-heartbeat",
                "--without-mingle",
                "--without-gossip",
                "--loglevel=INFO",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        yield worker
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def purge_queue(queue: str) -> None:
    import redis

    redis.Redis.from_url(BROKER_URL).delete(queue)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_an_email_queued_on_commit():
    require_redis()
    workspace = make_workspace("worker")
    queue = f"ascend-test-{uuid.uuid4().hex[:12]}"

    with tempfile.TemporaryDirectory() as tmp, celery_app_on(BROKER_URL, queue):
        log = Path(tmp) / "worker.log"
        try:
            with celery_worker(queue, log) as worker:
                with transaction.atomic():
                    email = send_email(
                        workspace=workspace,
                        to="someone@example.com",
                        template="password_changed",
                        context={"recipient_name": "Someone"},
                    )
                deadline = time.monotonic() + DEADLINE_SECONDS
                state = DeliveryState.QUEUED
                while time.monotonic() < deadline and worker.poll() is None:
                    state = OutboundEmail.objects.values_list("state", flat=True).get(id=email.id)
                    if state != DeliveryState.QUEUED:
                        break
                    time.sleep(0.25)
                still_running = worker.poll() is None
        finally:
            purge_queue(queue)
        output = log.read_text(errors="replace")[-4000:]

    assert still_running, f"The worker stopped on its own:\n{output}"
    assert "notifications.deliver_email" in output, f"The worker never ran the task:\n{output}"
    assert state == DeliveryState.SENT, (
        f"The email is {state} after {DEADLINE_SECONDS} s; the worker said:\n{output}"
    )
