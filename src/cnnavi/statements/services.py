"""Writes of the statements app: issue a statement, create / revoke / open share links, attach
and delete bill evidence. Each write is one transaction with one audit entry."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cnnavi.audit.services import audit_record
from cnnavi.core.periods import month_text
from cnnavi.measure.selectors.grid import records_of_facility_month
from cnnavi.orgs.models import Company, Facility
from cnnavi.statements import rules, selectors
from cnnavi.statements.models import (
    AllocationMethod,
    Evidence,
    ShareLink,
    ShareLinkOpen,
    Statement,
)

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
MAX_LINK_DAYS = 366
TOKEN_BYTES = 32  # 43 URL-safe characters


def _new_code() -> str:
    while True:
        code = "".join(secrets.choice(rules.CODE_ALPHABET) for _ in range(rules.CODE_LENGTH))
        if not Statement.objects.filter(code=code).exists():
            return code


def _clean_allocation(method: str, part, total) -> None:
    if not method:
        return
    errors = {}
    if part is None:
        errors["allocation_part"] = _("提出先への売上高または数量を入力してください。")
    if total is None:
        errors["allocation_total"] = _("全体の売上高または生産量を入力してください。")
    if not errors:
        try:
            rules.allocate(method=method, part=part, total=total, scope1_t=Decimal(0),
                           scope2_market_t=Decimal(0), scope2_location_t=Decimal(0))  # fmt: skip
        except ValueError as exc:
            if str(exc) == "part_exceeds_total":
                errors["allocation_part"] = _("提出先の値が全体を超えています。")
            else:
                errors["allocation_total"] = _("全体の値は0より大きくしてください。")
    if errors:
        raise ValidationError(errors)


@transaction.atomic(durable=True)
def statement_issue(
    *,
    actor,
    role: str,
    company: Company,
    period_kind: str,
    year: int,
    by_facility: bool = False,
    recipient_name: str = "",
    allocation_method: str = "",
    allocation_part: Decimal | None = None,
    allocation_total: Decimal | None = None,
    allocation_unit: str = "",
) -> Statement:
    """Freeze the period's figures as a statement with a verification code. A period whose
    records cannot all be computed is refused (a statement never leaves records out)."""
    if allocation_method not in AllocationMethod.values:
        raise ValidationError({"allocation_method": _("按分方法を選んでください。")})
    _clean_allocation(allocation_method, allocation_part, allocation_total)
    period = selectors.period_for(company=company, kind=period_kind, year=year)
    figures, fingerprint = selectors.statement_figures(company=company, period=period)
    if not figures["has_data"]:
        raise ValidationError(_("この期間のエネルギー使用量がありません。"))
    if not figures["ok"]:
        raise ValidationError([_("計算できない記録があるため発行できません。")] + figures["errors"])
    statement = Statement.objects.create(
        company=company,
        period_kind=period.kind,
        period_year=period.year,
        period_start_month=period.start_month,
        by_facility=by_facility,
        recipient_name=recipient_name.strip(),
        allocation_method=allocation_method,
        allocation_part=allocation_part if allocation_method else None,
        allocation_total=allocation_total if allocation_method else None,
        allocation_unit=allocation_unit.strip() if allocation_method else "",
        figures=figures,
        fingerprint=fingerprint,
        code=_new_code(),
        issued_by=actor,
        issued_by_name=(actor.name or actor.email)[:150],
        issued_by_role=role,
    )
    audit_record(
        actor=actor,
        action="statements.issue",
        target=statement,
        company=company,
        data={"period": period.kind, "year": period.year, "code": statement.code,
              "total_market_t": figures["totals"]["total_basic_t"]},
    )  # fmt: skip
    return statement


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic(durable=True)
def link_create(
    *, actor, statement: Statement, recipient_name: str, recipient_email: str, expires_on: date
) -> tuple[ShareLink, str]:
    """A read-only link for one recipient until the end of ``expires_on`` (Asia/Tokyo).
    Returns the link and its token (shown once; only its SHA-256 is stored)."""
    today = timezone.localdate()
    errors = {}
    if not recipient_name.strip():
        errors["recipient_name"] = _("提出先の名前を入力してください。")
    if expires_on < today:
        errors["expires_on"] = _("有効期限は今日以降の日付にしてください。")
    elif expires_on > today + timedelta(days=MAX_LINK_DAYS):
        errors["expires_on"] = _("有効期限は1年以内にしてください。")
    if errors:
        raise ValidationError(errors)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    expires_at = timezone.make_aware(datetime.combine(expires_on, time(23, 59, 59)))
    link = ShareLink.objects.create(
        statement=statement,
        recipient_name=recipient_name.strip(),
        recipient_email=recipient_email.strip(),
        token_hash=_hash_token(token),
        expires_at=expires_at,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="statements.link_create",
        target=link,
        company=statement.company,
        data={"statement": statement.code, "recipient": link.recipient_name,
              "expires_at": expires_at.isoformat()},
    )  # fmt: skip
    return link, token


@transaction.atomic(durable=True)
def link_revoke(*, actor, link: ShareLink) -> None:
    link = ShareLink.objects.select_for_update().get(pk=link.pk)
    if link.revoked_at is not None:
        return
    link.revoked_at = timezone.now()
    link.revoked_by = actor
    link.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(
        actor=actor,
        action="statements.link_revoke",
        target=link,
        company=link.statement.company,
        data={"statement": link.statement.code, "recipient": link.recipient_name},
    )


@transaction.atomic(durable=True)
def link_open(*, link: ShareLink, what: str) -> bool:
    """Record one view of a share link (page or PDF) by whoever holds it; every view is
    audited, also of a revoked or expired link. Returns whether the link is open."""
    is_open = link.is_open()
    if is_open:
        ShareLinkOpen.objects.create(link=link, what=what)
    audit_record(
        actor=None,
        action="statements.link_open" if is_open else "statements.link_refused",
        target=link,
        company=link.statement.company,
        data={"what": what, "statement": link.statement.code,
              "state": "open" if is_open else ("revoked" if link.revoked_at else "expired")},
    )  # fmt: skip
    return is_open


# --------------------------------------------------------------------------- evidence


@transaction.atomic(durable=True)
def evidence_upload(
    *, actor, facility: Facility, month: date, energy: str, filename: str, data: bytes
) -> Evidence:
    """Attach a bill (JPEG, PNG or PDF, checked by its bytes) to a facility's month and
    energy. The month must have a record of that energy: the evidence belongs to it and is
    deleted with it."""
    errors = []
    record = (
        records_of_facility_month(facility=facility, energy=energy, month=month)
        .order_by("supplier", "use", "id")
        .first()
    )
    if record is None:
        errors.append(
            _("この月のこのエネルギーの使用量がまだありません。先に使用量を入力してください。")
        )
    if not data:
        errors.append(_("ファイルが空です。"))
    elif len(data) > MAX_EVIDENCE_BYTES:
        errors.append(_("ファイルが大きすぎます（10MBまで）。"))
    kind = rules.sniff_evidence_type(data) if data else None
    if data and kind is None:
        errors.append(
            _("JPEG・PNG・PDFのファイルだけを添付できます（ファイルの中身で判定しています）。")
        )
    if errors:
        raise ValidationError({"file": errors})
    ev = Evidence.objects.create(
        record=record,
        facility=facility,
        month=month,
        energy=energy,
        filename=(filename or "bill")[:200],
        content_type=rules.EVIDENCE_TYPES[kind],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        uploaded_by=actor,
    )
    audit_record(
        actor=actor,
        action="statements.evidence_upload",
        target=ev,
        company=facility.company,
        data={"month": month_text(month), "energy": energy, "bytes": len(data),
              "type": ev.content_type},
    )  # fmt: skip
    return ev


@transaction.atomic(durable=True)
def evidence_delete(*, actor, evidence: Evidence) -> None:
    audit_record(
        actor=actor,
        action="statements.evidence_delete",
        target=evidence,
        company=evidence.facility.company,
        data={"month": month_text(evidence.month), "energy": evidence.energy},
    )
    evidence.delete()
