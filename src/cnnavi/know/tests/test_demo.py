import pytest
from django.core.management import call_command

from cnnavi.know import selectors
from cnnavi.know.models import Diagnosis, SelfCheck
from cnnavi.orgs.models import Company
from cnnavi.outcomes import demo as outcomes_demo

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_marked(capsys):
    call_command("demo")
    counts = (Diagnosis.objects.count(), SelfCheck.objects.count())
    call_command("demo")
    # the outcomes demo adds its own companies' diagnoses and self-checks
    assert (
        (Diagnosis.objects.count(), SelfCheck.objects.count())
        == counts
        == (
            8 + outcomes_demo.DIAGNOSES,
            3 + outcomes_demo.SELF_CHECKS,
        )
    )
    assert not Diagnosis.objects.filter(is_demo=False).exists()
    toyama = Company.objects.get(corporate_number="2230001000008")
    assert selectors.latest_stage(company=toyama) == "reduce"
    stages = list(
        Diagnosis.objects.filter(company=toyama)
        .order_by("saved_at")
        .values_list("stage", flat=True)
    )
    assert stages == ["measure", "reduce"]
