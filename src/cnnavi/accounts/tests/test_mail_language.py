"""Each person chooses the language of their e-mails (and of the invoices and certificates they
carry) on the account page; sign-up starts them in the language of the page they signed up on."""

import re

import pytest
from django.core import mail
from django.core.cache import cache

from cnnavi.accounts.models import User
from cnnavi.audit.models import AuditEntry
from cnnavi.testing import PASSWORD, make_user

pytestmark = pytest.mark.django_db

NAME = {
    "family_name": "山田",
    "given_name": "花子",
    "family_name_kana": "ヤマダ",
    "given_name_kana": "ハナコ",
}
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _selected(page: str) -> str:
    select = re.search(r'<select name="preferred_language".*?</select>', page, re.S).group(0)
    return re.search(r'<option value="(\w+)"[^>]*selected', select).group(1)


@pytest.mark.parametrize(
    ("prefix", "label"), [("", "メールの言語"), ("/en", "Language of e-mails")]
)
def test_the_account_page_shows_and_saves_the_language_of_e_mails(client, prefix, label):
    user = make_user("hanako@example.com")
    client.force_login(user)
    page = client.get(f"{prefix}/accounts/name/").content.decode()
    assert label in page and _selected(page) == "ja"  # existing users keep Japanese
    assert "English" in page and ("日本語" in page if not prefix else "Japanese" in page)
    response = client.post(
        f"{prefix}/accounts/name/", {**NAME, "preferred_language": "en"}, follow=True
    )
    assert response.redirect_chain[-1] == (f"{prefix}/accounts/name/", 302)
    user.refresh_from_db()
    assert user.preferred_language == "en"
    assert _selected(response.content.decode()) == "en"
    entry = AuditEntry.objects.get(action="account.mail_language", actor=user)
    assert entry.data == {"from": "ja", "to": "en"}
    # And back to Japanese from the English page.
    client.post("/en/accounts/name/", {**NAME, "preferred_language": "ja"})
    user.refresh_from_db()
    assert user.preferred_language == "ja"


@pytest.mark.parametrize(
    ("prefix", "message"),
    [
        ("", "メールの言語は日本語か英語から選んでください。"),
        ("/en", "Choose Japanese or English as the language of e-mails."),
    ],
)
def test_an_unknown_language_is_refused_with_a_message(client, prefix, message):
    user = make_user("hanako@example.com")
    client.force_login(user)
    response = client.post(f"{prefix}/accounts/name/", {**NAME, "preferred_language": "fr"})
    assert response.status_code == 422
    assert message in response.content.decode()
    user.refresh_from_db()
    assert user.preferred_language == "ja" and user.name == ""
    assert not AuditEntry.objects.filter(action__startswith="account.").exists()


def test_saving_the_name_alone_leaves_the_language_as_it_is(client):
    user = make_user("hanako@example.com")
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    client.force_login(user)
    assert client.post("/accounts/name/", NAME).status_code == 302
    user.refresh_from_db()
    assert user.preferred_language == "en" and user.name == "山田 花子"
    assert not AuditEntry.objects.filter(action="account.mail_language").exists()


@pytest.mark.parametrize(("prefix", "language"), [("", "ja"), ("/en", "en")])
def test_sign_up_keeps_the_page_s_language_for_e_mails(client, prefix, language):
    response = client.post(
        f"{prefix}/accounts/signup/",
        {
            "email": "new@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
            **NAME,
            "accept_terms": "on",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(email="new@example.com").preferred_language == language


def test_after_choosing_english_a_mail_comes_in_english_with_english_links(
    client, world, django_capture_on_commit_callbacks
):
    from cnnavi.programmes.tests.factories import make_event
    from cnnavi.programmes.tests.test_events import apply

    user = make_user("hanako@example.com")
    client.force_login(user)
    client.post("/accounts/name/", {**NAME, "preferred_language": "en"})  # on the Japanese page
    user.refresh_from_db()
    event = make_event(world.a.office, title="Energy seminar")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        apply(user, event, organisation="Support office", name="Hanako Yamada")
    (message,) = mail.outbox
    assert not JAPANESE.search(message.subject), message.subject
    links = re.findall(r"https?://\S+", message.body)
    assert links and all("/en/" in link for link in links), links
