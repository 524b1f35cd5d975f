"""Sign-up with verification, brute-force protection and two-factor log-in for staff."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from cnnavi.accounts.models import User
from cnnavi.orgs.models import OfficeStaff, SupportOffice
from cnnavi.testing import PASSWORD, make_user, totp_now

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def test_sign_up_needs_a_verified_email_before_login(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="new@example.com")
    assert not client.get(reverse("orgs:company_list")).wsgi_request.user.is_authenticated

    # Log-in before verification sends another mail and does not log in.
    client.post(reverse("account_login"), {"login": "new@example.com", "password": PASSWORD})
    assert not client.get(reverse("orgs:company_list")).wsgi_request.user.is_authenticated

    link = re.search(r"/accounts/confirm-email/[^/\s]+/", mail.outbox[0].body).group(0)
    client.post(link)
    assert user.emailaddress_set.get().verified
    assert client.get(reverse("orgs:company_list")).status_code == 200


def test_login_is_refused_after_repeated_failures(client):
    make_user("victim@example.com")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "victim@example.com", "password": "x"})
    # Even the right password is refused now, with a message saying why.
    response = client.post(
        reverse("account_login"), {"login": "victim@example.com", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "ログイン失敗が連続しています。" in response.content.decode()
    assert not client.get(reverse("orgs:company_list")).wsgi_request.user.is_authenticated


def test_staff_log_in_with_a_totp_code(client):
    staff = make_user("staff@example.com", totp=True)
    OfficeStaff.objects.create(office=SupportOffice.objects.create(name="O"), user=staff)
    response = client.post(
        reverse("account_login"), {"login": "staff@example.com", "password": PASSWORD}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("staff:index")).status_code == 302  # not logged in yet
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    client.post(reverse("mfa_authenticate"), {"code": totp_now()})
    assert client.get(reverse("staff:index")).status_code == 200


def test_password_reset_mail_is_sent(client):
    make_user("forgot@example.com")
    client.post(reverse("account_reset_password"), {"email": "forgot@example.com"})
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_email_change_needs_the_new_address_verified(client):
    user = make_user("old@example.com")
    client.force_login(user)
    response = client.post(reverse("account_email"), {"action_add": "", "email": "new@example.com"})
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["new@example.com"]
    assert "/accounts/confirm-email/" in mail.outbox[-1].body
    assert user.emailaddress_set.get(email="new@example.com").verified is False
    user.refresh_from_db()
    assert user.email == "old@example.com"  # unchanged until the new address is confirmed


def test_signup_errors_are_summarised_and_named(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "not-an-email",
            "password1": "short",
            "password2": "other",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="error-summary"' in html
    assert 'href="#id_email"' in html
    assert not User.objects.filter(email="not-an-email").exists()


@pytest.mark.parametrize("known", [True, False])
def test_reset_links_use_the_base_url_never_the_request_host(client, settings, known):
    settings.ALLOWED_HOSTS = ["*"]  # even a misconfigured host list cannot poison the link
    settings.CNNAVI_BASE_URL = "https://cn.example.jp"
    if known:
        make_user("forgot@example.com")
    client.post(
        reverse("account_reset_password"),
        {"email": "forgot@example.com"},
        HTTP_HOST="evil.example.com",
    )
    body = mail.outbox[0].body
    assert "evil.example.com" not in body
    assert "https://cn.example.jp/accounts/" in body  # the reset link, or sign-up if unknown


def test_confirmation_links_use_the_base_url(client, settings):
    settings.ALLOWED_HOSTS = ["*"]
    settings.CNNAVI_BASE_URL = "https://cn.example.jp"
    client.post(
        reverse("account_signup"),
        {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD},
        HTTP_HOST="evil.example.com",
    )
    body = mail.outbox[0].body
    assert "evil.example.com" not in body
    assert "https://cn.example.jp/accounts/confirm-email/" in body
