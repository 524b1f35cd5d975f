import pytest

from cnnavi.reduce.tests.factories import add_year


@pytest.fixture(autouse=True)
def _catalogue(db):
    """The catalogue comes from a data migration; transactional tests elsewhere may have
    emptied the table, so load it again (load adds only what is missing)."""
    from cnnavi.reduce.reference import load

    load()


@pytest.fixture
def company(world):
    """Company A with a full fiscal year 2025 of energy data."""
    add_year(world.a.owner, world.a.facility, 2025)
    return world.a.company
