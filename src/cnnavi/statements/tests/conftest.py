import pytest

from cnnavi.testing import _back_to_japanese, company, factory, make_energy_data, office  # noqa: F401


@pytest.fixture
def data(factory, office):  # noqa: F811 (the shared fixtures imported above)
    """FY2025 and FY2026 to November (20 months), as ``cnnavi.testing.make_energy_data`` says."""
    return make_energy_data(factory, office, months=20)
