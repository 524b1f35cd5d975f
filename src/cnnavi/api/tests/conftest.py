import pytest


@pytest.fixture(autouse=True)
def _back_to_japanese():
    yield
    from django.utils import translation

    translation.activate("ja")
