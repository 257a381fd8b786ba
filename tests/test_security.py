"""Production settings, login protection, the security log, CSRF and POST-only state changes."""

import logging
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from core.security import escaped

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
LOGIN = "/konto/logga-in/"


def production_env(tmp_path, **extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "uppfoljning.example.se",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }
    return env | extra


def manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


# --- settings ------------------------------------------------------------------------------


def test_deploy_check_passes_with_production_settings(tmp_path):
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_secret_key_is_required_when_debug_is_off(tmp_path):
    env = production_env(tmp_path)
    del env["SECRET_KEY"]
    result = manage(env, "check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_is_off_unless_asked_for(tmp_path):
    result = manage(
        production_env(tmp_path),
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)",
    )
    assert result.stdout.strip().splitlines()[-1] == "False True True 31536000"


def test_responses_carry_the_security_headers(client):
    response = client.get(LOGIN)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("kort-lösen1", "minst 12 tecken"),
        ("password1234", "för vanligt"),
        ("123456789012", "enbart numeriskt"),
    ],
)
def test_weak_passwords_are_refused_in_swedish(password, message):
    with pytest.raises(ValidationError) as error:
        validate_password(password)
    assert message in " ".join(error.value.messages)


def test_session_key_is_rotated_at_login(client, coordinator_04):
    client.get(LOGIN)
    session = client.session
    session["besökt"] = True
    session.save()
    before = session.session_key
    client.cookies[settings.SESSION_COOKIE_NAME] = before

    client.post(LOGIN, {"username": "samordnare04", "password": "not-a-real-password"})

    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after and after != before


# --- lockout -------------------------------------------------------------------------------


def fail(client, username, addr):
    return client.post(LOGIN, {"username": username, "password": "fel-lösenord"}, REMOTE_ADDR=addr)


def test_username_is_locked_after_repeated_failures_whatever_the_address(
    client, coordinator_04, coordinator_05
):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        fail(client, "samordnare04", f"10.0.0.{attempt + 1}")

    locked = client.post(
        LOGIN,
        {"username": "samordnare04", "password": "not-a-real-password"},
        REMOTE_ADDR="10.9.9.9",
    )
    assert locked.status_code == 429
    assert "Kontot är tillfälligt låst" in locked.content.decode()
    assert "_auth_user_id" not in client.session

    other = Client().post(
        LOGIN,
        {"username": "samordnare05", "password": "not-a-real-password"},
        REMOTE_ADDR="10.0.0.1",
    )
    assert other.status_code == 302  # another user from the same address is not locked


def test_the_sixth_login_is_refused_after_five_failures_as_documented(client, coordinator_04):
    """The README promises: after 5 failed logins a username is locked for 30 minutes. Counted
    here, not read from the setting, so a changed default fails."""
    for attempt in range(4):
        fail(client, "samordnare04", f"10.0.2.{attempt}")
    fifth = Client().post(LOGIN, {"username": "samordnare04", "password": "not-a-real-password"})
    assert fifth.status_code == 302  # four failures: the right password still opens
    for attempt in range(5):
        fail(client, "samordnare04", f"10.0.3.{attempt}")
    sixth = Client().post(LOGIN, {"username": "samordnare04", "password": "not-a-real-password"})
    assert sixth.status_code == 429
    assert "Kontot är tillfälligt låst" in sixth.content.decode()


def test_the_lockout_defaults_are_five_attempts_and_thirty_minutes():
    """With nothing in the environment (a fresh deployment), as the README says."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("AXES_")}
    env |= {"DEBUG": "1", "DJANGO_SETTINGS_MODULE": "config.settings"}
    script = (
        "from config import settings as s;"
        "print(s.AXES_FAILURE_LIMIT, int(s.AXES_COOLOFF_TIME.total_seconds() // 60))"
    )
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.split() == ["5", "30"]


# --- the security log ----------------------------------------------------------------------


def test_logins_and_failures_are_logged_without_secrets(client, coordinator_04, caplog):
    caplog.set_level(logging.INFO, logger="core.security")
    fail(client, "samordnare04", "10.1.2.3")
    client.post(LOGIN, {"username": "samordnare04", "password": "not-a-real-password"})

    text = caplog.text
    assert "login-failed user=samordnare04 addr=10.1.2.3" in text
    assert "login user=samordnare04" in text
    assert "fel-lösenord" not in text and "not-a-real-password" not in text
    assert client.session.session_key not in text


def test_access_denial_is_logged_with_an_escaped_path(client, staff_without_role, caplog):
    caplog.set_level(logging.INFO, logger="core.security")
    client.force_login(staff_without_role)
    response = client.get("/admin/agreements/project/add/", {"x": "1"})
    assert response.status_code == 403
    assert "access-denied status=403 user=utanroll" in caplog.text
    assert "path=/admin/agreements/project/add/" in caplog.text


def test_control_characters_are_escaped_in_log_text():
    assert escaped("/admin/\nFAKE login user=admin\r\x1b[31m") == (
        "/admin/\\x0aFAKE login user=admin\\x0d\\x1b[31m"
    )
    assert escaped("Östergötland") == "Östergötland"
    assert escaped("a\\b") == "a\\\\b"


# --- health --------------------------------------------------------------------------------


def test_health_endpoint_checks_the_database(client):
    response = client.get("/halsa/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert client.post("/halsa/").status_code == 405


# --- CSRF and POST-only state changes --------------------------------------------------------


def admin_add_urls():
    from django.contrib import admin

    return [
        reverse(f"admin:{m._meta.app_label}_{m._meta.model_name}_add") for m in admin.site._registry
    ]


def test_every_post_without_a_csrf_token_is_refused(superuser):
    client = Client(enforce_csrf_checks=True)
    client.force_login(superuser)
    urls = [LOGIN, "/konto/logga-ut/", reverse("set_language"), *admin_add_urls()]
    for url in urls:
        response = client.post(url, {"x": "1"})
        assert response.status_code == 403, url


def test_state_changing_urls_refuse_get(client, superuser):
    client.force_login(superuser)
    assert client.get("/konto/logga-ut/").status_code == 405
    assert client.get("/admin/logout/").status_code == 405


def test_templates_have_no_inline_styles_or_scripts():
    """The CSP allows only our own files: an inline style or script would silently not work.
    The one exception is a <style> carrying the request's nonce (the printed page's margin).
    E-mail (templates/email/) is read in mail clients, where the CSP does not apply and styles
    have to be inline: there only scripts are refused."""
    offenders = []
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        email = template.parent.name == "email"
        patterns = (" style=",) * (not email) + ("javascript:", " onclick=", " onload=")
        for pattern in patterns:
            if pattern in text:
                offenders.append(f"{template.relative_to(ROOT)}: {pattern.strip()}")
        for style in text.split("<style")[1:] if not email else []:
            if not style.startswith(' nonce="{{ request.csp_nonce }}">'):
                offenders.append(f"{template.relative_to(ROOT)}: <style> without the nonce")
        for script in text.split("<script")[1:]:
            if "src=" not in script.split(">", 1)[0]:
                offenders.append(f"{template.relative_to(ROOT)}: inline <script>")
    assert offenders == []


def test_server_error_page_is_swedish_and_needs_no_database():
    from django.template.loader import render_to_string

    page = render_to_string("500.html")  # rendered without a request or a database
    assert "Tekniskt fel" in page
    assert "sparats till hälften" in page


def test_missing_page_is_swedish(client, coordinator_04):
    client.force_login(coordinator_04)
    response = client.get("/finns-inte/")
    assert response.status_code == 404
    assert "Sidan finns inte" in response.content.decode()


def test_an_administrator_can_unlock_a_locked_out_user(client, administrator, coordinator_04):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        fail(Client(), "samordnare04", f"10.0.1.{attempt}")
    from axes.models import AccessAttempt

    attempts = list(
        AccessAttempt.objects.filter(username="samordnare04").values_list("pk", flat=True)
    )
    client.force_login(administrator)
    response = client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": attempts, "post": "yes"},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="samordnare04").exists()

    unlocked = Client().post(LOGIN, {"username": "samordnare04", "password": "not-a-real-password"})
    assert unlocked.status_code == 302


def test_bad_request_page_is_swedish_and_needs_no_database():
    from django.template.loader import render_to_string

    page = render_to_string("400.html")
    assert "Begäran kunde inte slutföras" in page
    assert "sparats till hälften" in page


def test_the_printed_pages_margin_style_carries_the_nonce_and_escapes_the_title(client, reviewer):
    """The one inline style names the page in the printed margin: the policy admits it by
    its nonce (fresh per response), and a title from the register cannot end it early."""
    from tests import builders

    area = builders.priority_area(agreement_obj=builders.agreement(county_code="04"))
    title = 'Fönster"; } </style><script>alert(1)</script>'
    project = builders.project(measure_obj=builders.measure(area=area), title=title)
    client.force_login(reviewer)
    response = client.get(f"/projekt/{project.pk}/")
    assert response.status_code == 200
    nonce = re.search(r'<style nonce="([^"]+)">', response.content.decode()).group(1)
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    style = response.content.decode().split("<style", 1)[1].split("</style>", 1)[0]
    assert "<script" not in style and "</" not in style
    number = project.reference_number  # the builders number projects across the whole run
    assert f'"{number} Fönster\\22 ; \\7d  \\3c /style\\3e \\3c script\\3e alert(1)' in style
    # and the page's <title> shows the title as it is, escaped once
    page_title = f"<title>{number} Fönster&quot;; }} &lt;/style&gt;&lt;script&gt;"
    assert page_title in response.content.decode()
    second = client.get(f"/projekt/{project.pk}/")
    assert f'<style nonce="{nonce}">' not in second.content.decode()  # a new one each time


def test_uploaded_workbooks_are_parsed_with_defusedxml_though_lxml_is_installed():
    """python-docx brings lxml, which openpyxl would otherwise prefer for reading uploads."""
    import lxml  # noqa: F401 - installed (python-docx needs it)
    import openpyxl

    assert openpyxl.DEFUSEDXML is True
    assert openpyxl.LXML is False
