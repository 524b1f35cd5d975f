import pytest

from cnnavi.orgs.models import Expert, OfficeStaff
from cnnavi.testing import make_company, make_user


class People:
    """Separate people in office A: a company owner (carol), a staff member (sam), an
    expert (erin), and a viewer of carol's company (vic)."""

    def __init__(self, world):
        from cnnavi.orgs.models import Membership, Role

        self.office = world.a.office
        self.carol = make_user("carol@example.com", name="Carol")
        self.company = make_company(self.carol, name="キャロル製作所")
        self.vic = make_user("vic@example.com")
        Membership.objects.create(company=self.company, user=self.vic, role=Role.VIEWER)
        self.sam = make_user("sam@example.com", totp=True)
        OfficeStaff.objects.create(office=self.office, user=self.sam)
        self.erin_user = make_user("erin@example.com", totp=True)
        self.erin = Expert.objects.create(
            office=self.office, user=self.erin_user, display_name="Erin Expert"
        )


@pytest.fixture
def people(world):
    return People(world)
