import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture
def japanese_afterwards():
    """A request under /en/ leaves English active in this thread; later tests expect Japanese."""
    yield
    translation.activate(settings.LANGUAGE_CODE)
