"""Privacy policy, terms of use and operator contact: defaults, the operator's own text with
versions, English, footer links, and the terms' version recorded at sign-up."""

import pytest
from django.urls import reverse

from cnnavi.accounts.models import User
from cnnavi.audit.models import AuditEntry
from cnnavi.pages import services
from cnnavi.pages.models import LegalDocument
from cnnavi.testing import PASSWORD

pytestmark = pytest.mark.django_db


def test_every_page_links_the_legal_pages_which_have_sensible_defaults(client):
    home = client.get("/").content.decode()
    for path in ("/legal/privacy/", "/legal/terms/", "/legal/operator/"):
        assert f'href="{path}"' in home
        assert client.get(path).status_code == 200
    assert "第3条（禁止事項）" in client.get("/legal/terms/").content.decode()
    assert "第1版" in client.get("/legal/terms/").content.decode()
    assert "Article 3" in client.get("/en/legal/terms/").content.decode()


def test_the_operators_text_replaces_the_default_and_changes_the_version(world, client):
    admin = world.a.owner
    doc = services.legal_document_save(actor=admin, kind="terms", body="第1条 新しい規約")
    assert doc.version == 2
    assert (
        services.legal_document_save(actor=admin, kind="terms", body="第1条 新しい規約").version
        == 2
    )
    assert services.legal_document_save(actor=admin, kind="terms", body="第1条 改定").version == 3
    page = client.get("/legal/terms/").content.decode()
    assert "第1条 改定" in page and "第3版" in page
    # No English text yet: the English page says so and shows the Japanese.
    english = client.get("/en/legal/terms/").content.decode()
    assert 'data-testid="only-japanese"' in english and "第1条 改定" in english
    services.legal_document_save(
        actor=admin, kind="operator", body="運営: 北陸支援機構", body_en="Operator: Hokuriku"
    )
    assert "Operator: Hokuriku" in client.get("/en/legal/operator/").content.decode()
    assert AuditEntry.objects.filter(action="legal.save").count() == 4
    assert LegalDocument.objects.count() == 2

    # Sign-up records the version in force.
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "family_name": "山田",
            "given_name": "花子",
            "family_name_kana": "ヤマダ",
            "given_name_kana": "ハナコ",
            "accept_terms": "on",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(email="new@example.com").terms_version == 3


def test_sign_up_without_accepting_the_terms_is_refused(client):
    page = client.get(reverse("account_signup")).content.decode()
    assert 'href="/legal/terms/"' in page and 'href="/legal/privacy/"' in page
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "family_name": "山田",
            "given_name": "花子",
            "family_name_kana": "ヤマダ",
            "given_name_kana": "ハナコ",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="new@example.com").exists()
