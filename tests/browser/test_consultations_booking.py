"""On a phone, a guest without an account books a free online slot, gets the e-mail with the
calendar file and the manage link, and cancels through that link; the slot is free again."""

import re

import pytest
from django.core import mail

from cnnavi.consultations.models import Booking
from cnnavi.consultations.tests.tenancy import make_slot
from cnnavi.orgs.models import Expert, SupportOffice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def slot(db):
    from cnnavi.testing import make_user

    office = SupportOffice.objects.create(name="北陸本部", prefectures=["16"])
    expert = Expert.objects.create(
        office=office, user=make_user("expert@example.com", totp=True), display_name="坂本 環"
    )
    return make_slot(expert, days=8, hour=14, mode="online")


def test_guest_books_and_cancels_on_a_phone(phone_page, slot):
    page = phone_page
    page.goto("/consultations/")
    page.get_by_test_id("slot-link").first.click()
    page.wait_for_url(re.compile(r"/consultations/book/\d+/$"))
    # An online slot does not offer an in-person meeting.
    assert page.get_by_label("対面").count() == 0
    page.get_by_label("オンライン").check()
    page.get_by_label("再生可能エネルギーの導入").check()
    page.get_by_label("相談内容（簡単に）").fill("屋根に太陽光発電を載せたい")
    page.get_by_label("お名前").fill("能登 三郎")
    page.get_by_label("企業名").fill("能登水産加工")
    page.get_by_label("メールアドレス").fill("noto@example.com")
    page.get_by_label("電話番号").fill("0768-12-3456")
    page.get_by_role("button", name="予約する").click()
    page.wait_for_url(re.compile(r"/consultations/manage/"))
    assert page.get_by_test_id("booking-status").inner_text() == "予約済み"

    message = next(m for m in mail.outbox if m.to == ["noto@example.com"])
    assert message.attachments[0][0] == "consultation.ics"
    link = re.search(r"https?://\S+/consultations/manage/\S+/", message.body).group(0)
    page.goto(link)
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_test_id("cancel-booking").click()
    assert page.get_by_test_id("booking-status").inner_text() == "キャンセル済み"
    assert asked == ["この予約をキャンセルしますか？"]  # it asks before cancelling
    assert Booking.objects.get().status == "cancelled"
    page.goto("/consultations/")
    assert page.get_by_test_id("slot-link").count() == 1  # the slot is free again
