import pytest


@pytest.fixture(autouse=True)
def _catalogue(db):
    """The catalogue comes from a data migration; transactional tests elsewhere may have
    emptied the table, so load it again (load adds only what is missing)."""
    from cnnavi.reduce.reference import load

    load()
