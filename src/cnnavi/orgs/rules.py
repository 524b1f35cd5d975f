"""Pure rules about companies (no Django; checked by the import-linter contract)."""

from dataclasses import dataclass


def corporate_number_is_valid(number: str) -> bool:
    """法人番号: 13 digits whose first digit is a check digit over the other twelve.

    Check digit = 9 - (sum of P_n * Q_n for n = 1..12, mod 9), where P_n is the n-th digit of
    the 12-digit base counted from the right and Q_n is 1 for odd n and 2 for even n
    (法人番号の指定等に関する省令 第2条; National Tax Agency, 法人番号の仕組み).
    """
    if len(number) != 13 or not number.isascii() or not number.isdigit():
        return False
    base = number[1:]
    total = sum(int(d) * (1 if n % 2 else 2) for n, d in enumerate(reversed(base), start=1))
    return int(number[0]) == 9 - total % 9


@dataclass(frozen=True)
class SmeThreshold:
    sector: str
    capital_yen: int
    employees: int


# 中小企業基本法 第2条第1項: a company is an SME if its capital OR its regular employees are at or
# below the threshold of its sector. (The government ordinance's exceptions, e.g. rubber products
# 900 employees, software 300M yen, hotels 200 employees, are not applied: see docs/decisions/0003.)
MANUFACTURING_AND_OTHERS = SmeThreshold("manufacturing_and_others", 300_000_000, 300)
WHOLESALE = SmeThreshold("wholesale", 100_000_000, 100)
SERVICES = SmeThreshold("services", 50_000_000, 100)
RETAIL = SmeThreshold("retail", 50_000_000, 50)

_SERVICE_DIVISIONS = {"G", "J", "K", "L", "M", "N", "O", "P", "Q", "R"}


def sme_threshold(industry: str) -> SmeThreshold:
    """Threshold for a JSIC major division code ("I1" wholesale and "I2" retail split "I")."""
    if industry == "I1":
        return WHOLESALE
    if industry == "I2":
        return RETAIL
    if industry in _SERVICE_DIVISIONS:
        return SERVICES
    return MANUFACTURING_AND_OTHERS


def is_sme(*, industry: str, capital_yen: int | None, employees: int | None) -> bool | None:
    """True if capital or employees meet the sector's threshold, False if both are known and
    neither does, None when that cannot be told from what is known."""
    limit = sme_threshold(industry)
    if capital_yen is not None and capital_yen <= limit.capital_yen:
        return True
    if employees is not None and employees <= limit.employees:
        return True
    if capital_yen is None or employees is None:
        return None
    return False
