"""Display labels of measure's codes (energies, uses) in the page's language, and the order
energies are listed in. Plain functions, no database reads."""

from __future__ import annotations

from django.utils.translation import get_language

from cnnavi.core import energy_catalogue, get_energy
from cnnavi.measure.models import USE_CHOICES

_ENERGY_ORDER = {e.code: i for i, e in enumerate(energy_catalogue())}


def energy_label(code: str, language: str | None = None) -> str:
    """The energy's official Japanese name, or its English name on English pages."""
    try:
        e = get_energy(code)
    except ValueError:
        return code
    language = language or get_language() or "ja"
    return e.name_en if language.startswith("en") else e.name_ja


_USE_LABELS = dict(USE_CHOICES)


def use_label(use: str) -> str:
    """A standard use (stored as the Japanese word bills carry) in the page's language; any
    other use as written (data)."""
    label = _USE_LABELS.get(use)
    return str(label) if label is not None else use


class EnergyLabels(dict):
    """energy code -> its label in the current language, each looked up once."""

    def __init__(self) -> None:
        super().__init__()
        self.language = get_language() or "ja"

    def __missing__(self, code: str) -> str:
        label = self[code] = energy_label(code, self.language)
        return label


def energy_sort_key(code: str) -> tuple[int, int]:
    """Electricity and city gas first (the usual bills), then fuels in the official order."""
    lead = {"electricity": 0, "city_gas": 1}.get(code, 2)
    return (lead, _ENERGY_ORDER.get(code, 999))
