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


NAME = {
    "family_name": "山田",
    "given_name": "花子",
    "family_name_kana": "ヤマダ",
    "given_name_kana": "はなこ",
    "accept_terms": "on",
}


def test_sign_up_needs_a_verified_email_before_login(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
            **NAME,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="new@example.com")
    assert (user.name, user.family_name_kana, user.given_name_kana) == (
        "山田 花子",
        "ヤマダ",
        "はなこ",
    )
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
    done = client.post(reverse("mfa_authenticate"), {"code": totp_now()})
    # Staff land on the back office, not on the SME's empty company page.
    assert done["Location"] == reverse("staff:index")
    assert client.get(reverse("staff:index")).status_code == 200


def test_a_reused_totp_code_says_it_was_already_used(client):
    expert_user = make_user("expert@example.com", totp=True)
    from cnnavi.orgs.models import Expert

    Expert.objects.create(
        office=SupportOffice.objects.create(name="O"), user=expert_user, display_name="E"
    )
    code = totp_now()
    client.post(reverse("account_login"), {"login": "expert@example.com", "password": PASSWORD})
    done = client.post(reverse("mfa_authenticate"), {"code": code})
    assert done["Location"] == reverse("experts:index")  # experts land on their console
    client.post(reverse("account_logout"))
    client.post(reverse("account_login"), {"login": "expert@example.com", "password": PASSWORD})
    again = client.post(reverse("mfa_authenticate"), {"code": code})
    html = again.content.decode()
    assert again.status_code == 200
    assert "このコードはすでに使われました。" in html
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert "すでに使われました" not in wrong.content.decode()  # a wrong code stays "incorrect"


def test_a_member_still_lands_on_the_company_list(client):
    make_user("sme@example.com")
    response = client.post(
        reverse("account_login"), {"login": "sme@example.com", "password": PASSWORD}
    )
    assert response["Location"] == reverse("orgs:company_list")


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
            "family_name": "",
            "given_name": "花子",
            "family_name_kana": "Yamada",
            "given_name_kana": "ハナコ",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="error-summary"' in html
    assert 'href="#id_email"' in html
    assert 'href="#id_family_name"' in html  # every bad field is named at once
    assert "利用規約とプライバシーポリシーへの同意が必要です。" in html
    assert "フリガナはカタカナかひらがなで入力してください。" in html
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
        {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD, **NAME},
        HTTP_HOST="evil.example.com",
    )
    body = mail.outbox[0].body
    assert "evil.example.com" not in body
    assert "https://cn.example.jp/accounts/confirm-email/" in body


def test_the_account_page_sets_the_name_used_on_forms(client):
    from cnnavi.audit.models import AuditEntry

    user = make_user("taro@example.com")
    client.force_login(user)
    page = client.get(reverse("accounts:name")).content.decode()
    assert 'data-testid="name-missing"' in page
    response = client.post(
        reverse("accounts:name"),
        {
            "family_name": "立山",
            "given_name": "太郎",
            "family_name_kana": "タテヤマ",
            "given_name_kana": "タロウ",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.name == "立山 太郎"
    assert AuditEntry.objects.filter(action="account.name", actor=user).exists()
    page = client.get(reverse("accounts:name")).content.decode()
    assert 'value="タテヤマ"' in page
    # Forms are prefilled with the name (here the consultation booking form).
    from cnnavi.consultations.tests.tenancy import make_slot
    from cnnavi.orgs.models import Expert

    owner = make_user("e@example.com", totp=True)
    expert = Expert.objects.create(
        office=SupportOffice.objects.create(name="O"), user=owner, display_name="E"
    )
    slot = make_slot(expert)
    form = client.get(f"/consultations/book/{slot.pk}/").content.decode()
    assert 'value="立山 太郎"' in form


def test_a_certificate_asks_for_the_name_first(world, client):
    from cnnavi.programmes import services as programmes_services
    from cnnavi.programmes.models import Lesson
    from cnnavi.programmes.tests.factories import make_course

    user = make_user("learner@example.com")
    client.force_login(user)
    course = make_course(world.a.office, lessons=1)
    enrolment = programmes_services.enrolment_create(user=user, course=course)
    for lesson in Lesson.objects.filter(chapter__course=course):
        programmes_services.lesson_progress_set(
            user=user, enrolment=enrolment, lesson=lesson, done=True
        )
    certificate = reverse("programmes:course_certificate", args=[course.pk])
    response = client.get(certificate)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:name") + "?next=")
    name = {
        "family_name": "能登",
        "given_name": "三郎",
        "family_name_kana": "ノト",
        "given_name_kana": "サブロウ",
    }
    response = client.post(response["Location"], name)
    assert response["Location"] == certificate  # back to the certificate
    assert client.get(certificate)["Content-Type"] == "application/pdf"
