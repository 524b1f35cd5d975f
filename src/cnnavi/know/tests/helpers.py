"""Shared helpers for the know app's tests."""

import re

from cnnavi.core.diagnosis import QUIET_ANSWERS
from cnnavi.know import reference, services
from cnnavi.know.models import DiagnosisVersion

# Every question answered; no awareness, numbers or reduction points; no risk raised.
QUIET = QUIET_ANSWERS
STEP_QUESTIONS = [
    ["customer_asked", "sbt_re100", "finance_tender", "energy_cost", "hiring_asked"],
    ["energy_monthly", "co2_calculated", "use_breakdown", "fuel_use"],
    ["reduction_plan", "measures_taken", "electricity_supply", "target"],
    ["jigyokei", "outage", "price_readiness"],
]
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def v1() -> DiagnosisVersion:
    reference.load()  # after a flush (transactional tests) the migration's row is gone
    return DiagnosisVersion.objects.get(number=1)


def make_diagnosis(company=None, actor=None, **changes):
    diagnosis = services.diagnosis_create(version=v1(), answers={**QUIET, **changes}, language="ja")
    if company is not None:
        diagnosis = services.diagnosis_save(actor=actor, diagnosis=diagnosis, company=company)
    return diagnosis


def answer_all(client, prefix="", **changes):
    """Answer the four steps through the pages; returns the last response."""
    answers = {**QUIET, **changes}
    response = None
    for number, codes in enumerate(STEP_QUESTIONS, start=1):
        data = {"step": number}
        data.update({code: answers[code] for code in codes})
        response = client.post(f"{prefix}/diagnosis/questions/", data)
        assert response.status_code == 302, response.content.decode()[:2000]
    return response


def japanese_in_main(html: str) -> list[str]:
    """Japanese text inside <main>, leaving out select options (shared choice lists) and the
    shared error-summary heading."""
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    main = re.sub(r"<option.*?</option>", "", main, flags=re.S)
    main = re.sub(r"<script.*?</script>", "", main, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", main)
    return sorted({m for m in re.findall(r"[^\s<>]*[\u3040-\u30ff\u4e00-\u9fff][^\s<>]*", text)})
