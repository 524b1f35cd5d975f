"""Ids of tenant A and tenant B for the URL kwargs of the consultations app.

Slots are public (anyone may book a free slot of any office), so tenant B's slot is one that is
withdrawn (a closed day): the booking page answers 404 for it, as for a slot that does not
exist. (A slot taken meanwhile answers a submitted form with 409 and the nearest free slots, so
that the one who lost the race keeps what they typed; its GET is 404 too.) A manage
link is a bearer capability (like a password-reset link): the genuine link opens its booking for
whoever holds it; what is proved here is that an altered link answers 404.
"""

from datetime import time, timedelta

from django.utils import timezone, translation

from cnnavi.consultations import services
from cnnavi.consultations.models import Slot


def make_slot(expert, *, days: int = 10, hour: int = 10, mode: str = "office") -> Slot:
    start = timezone.localtime() + timedelta(days=days)
    start = start.replace(hour=hour, minute=0, second=0, microsecond=0)
    return Slot.objects.create(
        expert=expert, starts_at=start, ends_at=start + timedelta(hours=1), mode=mode
    )


def book(slot, tenant, **extra):
    data = dict(
        channel="online",
        topics=["how_to_start"],
        description="",
        contact_name="Taro Test",
        contact_company=tenant.company.name,
        contact_email=tenant.owner.email,
        contact_phone="076-000-0000",
        company=tenant.company,
    )
    data.update(extra)
    return services.booking_create(actor=tenant.owner, slot=slot, **data)


def _tenant_objects(tenant):
    expert = tenant.expert
    rule = services.availability_add(
        actor=tenant.owner,
        office=tenant.office,
        expert=expert,
        weekday=1,
        start_time=time(14, 0),
        minutes=60,
        mode="online",
    )
    free = make_slot(expert, days=10, hour=10)
    booking = book(make_slot(expert, days=11, hour=10), tenant, language="en")
    case = services.calc_case_apply(
        actor=tenant.owner,
        company=tenant.company,
        office=tenant.office,
        message="Please explain the method",
        preferred_dates="",
    )
    services.calc_case_accept(actor=tenant.owner, office=tenant.office, case=case, expert=expert)
    visit = services.calc_visit_schedule(
        actor=tenant.owner, case=case, expert=expert, scheduled_at=timezone.now()
    )
    services.calc_visit_record(actor=tenant.owner, visit=visit, record="Reviewed the current state")
    handson = services.handson_apply(
        actor=tenant.owner,
        company=tenant.company,
        office=tenant.office,
        themes_wanted="Energy saving",
        current_issues="High electricity use",
        project_members="Two from production",
    )
    criterion = services.criterion_save(
        actor=tenant.owner, office=tenant.office, title="Commitment", max_score=5
    )
    withdrawn = make_slot(expert, days=12, hour=10)
    withdrawn.withdrawn = True
    withdrawn.save(update_fields=["withdrawn"])
    return rule, free, booking, case, visit, handson, withdrawn, criterion


def provide(world) -> dict[str, tuple]:
    # Texts the services write in the user's language (meeting details) are written in English
    # here, so that the English-page walk sees only UI text.
    with translation.override("en"):
        a = _tenant_objects(world.a)
        b = _tenant_objects(world.b)
    b_token = services.manage_token(b[2])
    return {
        "rule_id": (a[0].pk, b[0].pk),
        "slot_id": (a[1].pk, b[6].pk),  # B's slot is withdrawn
        "booking_id": (a[2].pk, b[2].pk),
        "manage_token": (services.manage_token(a[2]), b_token[:-4] + "AAAA"),
        "calc_case_id": (a[3].pk, b[3].pk),
        "visit_id": (a[4].pk, b[4].pk),
        "handson_case_id": (a[5].pk, b[5].pk),
        "criterion_id": (a[7].pk, b[7].pk),
    }
