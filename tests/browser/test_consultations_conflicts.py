"""Two people want the same slot: the one who submits second sees "この枠は先ほど埋まりました",
keeps everything typed, and books the nearest free slot of the same channel with one click."""

import re

import pytest

from cnnavi.consultations import services
from cnnavi.consultations.models import Booking
from cnnavi.consultations.tests.tenancy import make_slot
from cnnavi.orgs.models import Expert, SupportOffice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def slots(db):
    from cnnavi.testing import make_user

    office = SupportOffice.objects.create(name="北陸本部", prefectures=["16"])
    expert = Expert.objects.create(
        office=office, user=make_user("expert@example.com", totp=True), display_name="坂本 環"
    )
    wanted = make_slot(expert, days=8, hour=10, mode="online")
    near = make_slot(expert, days=8, hour=14, mode="online")
    make_slot(expert, days=8, hour=16, mode="office")  # another channel: not offered
    return wanted, near


def test_the_race_loser_keeps_the_input_and_books_an_alternative(phone_page, slots):
    wanted, near = slots
    page = phone_page
    page.goto(f"/consultations/book/{wanted.pk}/")
    page.get_by_label("電話", exact=True).check()
    page.get_by_label("補助金").check()
    page.get_by_label("相談内容（簡単に）").fill("省エネ設備の補助金について")
    page.get_by_label("お名前").fill("能登 三郎")
    page.get_by_label("企業名").fill("能登水産加工")
    page.get_by_label("メールアドレス").fill("noto@example.com")
    page.get_by_label("電話番号").fill("0768-12-3456")
    # Meanwhile someone else books the same slot.
    services.booking_create(
        actor=None,
        slot=wanted,
        channel="online",
        topics=["other"],
        description="",
        contact_name="先着 一郎",
        contact_company="先着商事",
        contact_email="first@example.com",
        contact_phone="076-000-0000",
    )
    page.get_by_role("button", name="予約する").click()
    taken = page.get_by_test_id("slot-taken")
    assert "この枠は先ほど埋まりました" in taken.inner_text()
    # Everything typed is still there.
    assert page.get_by_label("企業名").input_value() == "能登水産加工"
    assert page.get_by_label("相談内容（簡単に）").input_value() == "省エネ設備の補助金について"
    assert page.get_by_label("電話", exact=True).is_checked()
    alternatives = page.get_by_test_id("alternative-slot")
    assert alternatives.count() == 1  # the office slot is another channel
    assert "14:00" in alternatives.first.inner_text()
    alternatives.first.click()
    page.wait_for_url(re.compile(r"/consultations/manage/"))
    assert page.get_by_test_id("booking-status").inner_text() == "予約済み"
    mine = Booking.objects.get(contact_email="noto@example.com")
    assert (mine.slot_id, mine.channel, mine.description) == (
        near.pk,
        "phone",
        "省エネ設備の補助金について",
    )
