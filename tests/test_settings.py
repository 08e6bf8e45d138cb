"""Production settings pass Django's deployment checks, and bad environment values stop start-up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from ascend.settings.env import env_bool, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECRET_KEY"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True,
        env={**clean, **env}, timeout=120,
    )  # fmt: skip


def test_production_settings_pass_the_deployment_checks():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DJANGO_SETTINGS_MODULE="ascend.settings.prod",
        SECRET_KEY="x" * 20 + "a-long-random-production-secret-key-0123456789",
        ALLOWED_HOSTS=".coach.example.com",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DJANGO_SETTINGS_MODULE="ascend.settings.prod",
                        ALLOWED_HOSTS=".coach.example.com")  # fmt: skip
    assert result.returncode != 0
    assert "Set the environment variable SECRET_KEY" in result.stderr


def test_malformed_values_are_refused_with_their_name(monkeypatch):
    monkeypatch.setenv("ASCEND_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="ASCEND_FLAG must be true or false"):
        env_bool("ASCEND_FLAG", False)
    monkeypatch.setenv("ASCEND_NUMBER", "seven")
    with pytest.raises(ImproperlyConfigured, match="ASCEND_NUMBER must be a whole number"):
        env_int("ASCEND_NUMBER", 7)
    monkeypatch.delenv("ASCEND_MISSING", raising=False)
    with pytest.raises(ImproperlyConfigured):
        env_str("ASCEND_MISSING")


def test_well_formed_values_are_read(monkeypatch):
    monkeypatch.setenv("ASCEND_FLAG", "Yes")
    monkeypatch.setenv("ASCEND_HOSTS", "a.example, b.example ,")
    assert env_bool("ASCEND_FLAG", False) is True
    assert env_list("ASCEND_HOSTS") == ["a.example", "b.example"]
