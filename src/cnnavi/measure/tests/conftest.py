import pytest

from cnnavi.testing import _back_to_japanese, company, factory, make_energy_data, office  # noqa: F401


@pytest.fixture
def fy2025(factory, office):  # noqa: F811 (the shared fixtures imported above)
    """FY2025 (April 2025 to March 2026), as ``cnnavi.testing.make_energy_data`` says."""
    return make_energy_data(factory, office, months=12)
