"""What a measure does to a company's energy profile.

CO2 is an area: activity (kWh, litres, m3) times a factor. A measure makes the area smaller in
one of three ways, and each kind of measure changes the three CO2 bases differently:

* ``saving`` (the six energy-saving points, on-site solar, PPA): less purchased energy. Every
  basis falls by the energy saved times that energy's own factor on that basis.
* ``factor`` (renewable electricity menus, non-fossil or green power certificates): the same
  kWh with a lower market-based factor. Only the market-based Scope 2 falls; SHK basic and
  location-based stay (the national average and the supplier's basic factor do not change).
* ``electrify`` (boiler to heat pump, vehicles to EV): fuel use is removed (its Scope 1 CO2
  goes) and electricity is added (its Scope 2 CO2 comes, at the company's own factors).
* ``offset`` (J-credits): emissions stay; the credits are counted apart (they may offset the
  SHK adjusted total but do not reduce emissions for a science-based target).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

BASES = ("basic", "location", "market")
ZERO = Decimal(0)
KINDS = ("saving", "factor", "electrify", "offset")


def _d(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _yen(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class EnergyLine:
    """One energy of the company in one year: amount, cost and CO2 on the three bases."""

    energy: str  # core energy code: electricity, city_gas, kerosene, ...
    kind: str  # electricity | city_gas | fuel | heat
    amount: Decimal
    unit: str
    cost_yen: int
    gj: Decimal
    t: dict[str, Decimal]  # basis -> tCO2
    uses: dict[str, Decimal] = field(default_factory=dict)  # use -> amount, where known

    def per_unit(self, basis: str) -> Decimal:
        return self.t[basis] / self.amount if self.amount else ZERO

    @property
    def gj_per_unit(self) -> Decimal:
        return self.gj / self.amount if self.amount else ZERO

    @property
    def unit_price(self) -> Decimal | None:
        """Yen per unit from the company's own bills; None without costs."""
        return _d(self.cost_yen) / self.amount if self.amount and self.cost_yen else None

    def minus(self, removed: Decimal, use: str = "") -> EnergyLine:
        """The line with ``removed`` units less, cost, GJ and CO2 falling in proportion."""
        if not self.amount or not removed:
            return self
        keep = (self.amount - removed) / self.amount
        uses = dict(self.uses)
        if use and use in uses:
            uses[use] = max(ZERO, uses[use] - removed)
        elif uses:
            uses = {k: v * keep for k, v in uses.items()}
        return replace(
            self,
            amount=self.amount - removed,
            cost_yen=_yen(_d(self.cost_yen) * keep),
            gj=self.gj * keep,
            t={b: v * keep for b, v in self.t.items()},
            uses=uses,
        )


@dataclass(frozen=True)
class Profile:
    """A company's energy use in a year, plus what one more kWh would bring (for electrifying:
    its own average electricity factors and price, or defaults where it buys none)."""

    lines: tuple[EnergyLine, ...]
    electricity_factor: dict[str, Decimal]  # basis -> tCO2 per kWh
    electricity_price: Decimal | None = None  # yen per kWh

    def total(self, basis: str) -> Decimal:
        return sum((line.t[basis] for line in self.lines), ZERO)

    def totals(self) -> dict[str, Decimal]:
        return {b: self.total(b) for b in BASES}

    @property
    def cost_yen(self) -> int:
        return sum(line.cost_yen for line in self.lines)

    @property
    def gj(self) -> Decimal:
        return sum((line.gj for line in self.lines), ZERO)

    def line(self, energy: str) -> EnergyLine | None:
        return next((line for line in self.lines if line.energy == energy), None)

    def kwh_price(self) -> Decimal | None:
        line = self.line("electricity")
        price = line.unit_price if line else None
        return price if price is not None else self.electricity_price

    def with_line(self, new: EnergyLine) -> Profile:
        lines = tuple(new if line.energy == new.energy else line for line in self.lines)
        if not any(line.energy == new.energy for line in self.lines):
            lines += (new,)
        return replace(self, lines=lines)


@dataclass(frozen=True)
class MeasureSpec:
    """A measure with every number it needs (from the catalogue or the user's overrides).

    ``energies`` names energy codes or kinds (``electricity``, ``city_gas``, ``fuel``,
    ``heat``). ``share``: for ``saving`` the share of the addressed energy saved; for
    ``factor`` the share of electricity covered; for ``electrify`` the share of the fuel
    replaced. ``use`` and ``use_share`` narrow the addressed energy to one use (lighting...):
    the company's own by-use amount where it has one, else ``use_share`` of the energy.
    """

    key: str
    name: str
    kind: str
    energies: tuple[str, ...]
    share: Decimal = ZERO
    use: str = ""
    use_share: Decimal | None = None
    amount: Decimal | None = None  # saving: a fixed amount per year instead of a share (solar kWh)
    kwh_per_gj: Decimal = ZERO  # electrify: kWh added per GJ of fuel removed
    investment_yen: int = 0
    annual_cost_yen: int = 0  # fixed running cost per year
    unit_cost_yen: Decimal = ZERO  # factor: premium yen/kWh; saving+amount: yen/kWh paid (PPA)
    offset_t: Decimal = ZERO  # offset: tonnes of credits per year (unit_cost_yen = yen per t)
    lifetime_years: int = 10
    start_year: int | None = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown measure kind {self.kind!r}")

    def matches(self, line: EnergyLine) -> bool:
        return line.energy in self.energies or line.kind in self.energies


@dataclass(frozen=True)
class Effect:
    """What one measure does in a year, on the profile it was applied to."""

    key: str
    name: str
    kind: str
    energy: tuple[tuple[str, Decimal, str], ...]  # (energy, amount saved (+) or added (-), unit)
    gj_saved: Decimal
    t_saved: dict[str, Decimal]
    yen_saved: int  # per year, net of running costs and of energy added
    investment_yen: int
    lifetime_years: int
    offset_t: Decimal = ZERO
    notes: tuple[str, ...] = ()

    @property
    def payback_years(self) -> Decimal | None:
        """Simple payback: investment / yearly yen saved; None when nothing is saved."""
        if self.yen_saved <= 0:
            return None
        return _d(self.investment_yen) / _d(self.yen_saved)

    def annual_cost_yen(self) -> Decimal:
        """Investment spread straight over the lifetime, minus the yearly yen saved."""
        life = max(self.lifetime_years, 1)
        return _d(self.investment_yen) / life - _d(self.yen_saved)

    def cost_per_t(self, basis: str) -> Decimal | None:
        """Yen per tCO2 avoided on a basis (negative: the measure earns money); offsets: the
        price per tonne of credit. None when the measure avoids nothing on that basis."""
        if self.kind == "offset":
            return self.annual_cost_yen() / self.offset_t if self.offset_t else None
        t = self.t_saved.get(basis, ZERO)
        if t <= 0:
            return None
        return self.annual_cost_yen() / t


def _addressed(spec: MeasureSpec, line: EnergyLine) -> Decimal:
    if spec.use and spec.use in line.uses:
        return line.uses[spec.use]
    if spec.use and spec.use_share is not None:
        return line.amount * spec.use_share
    return line.amount


def apply_measure(profile: Profile, spec: MeasureSpec) -> tuple[Profile, Effect]:
    """Apply one measure; returns the profile it leaves and its effect."""
    before = profile.totals()
    energy: list[tuple[str, Decimal, str]] = []
    gj_saved = ZERO
    yen = ZERO
    notes: list[str] = []
    offset_t = ZERO
    lines = [line for line in profile.lines if spec.matches(line) and line.amount > 0]
    if spec.kind != "offset" and not lines:
        notes.append("no matching energy in the data")

    if spec.kind == "saving":
        left = spec.amount
        for line in lines:
            if left is not None:
                removed = min(left, line.amount)
                left -= removed
            else:
                removed = _addressed(spec, line) * spec.share
            if removed <= 0:
                continue
            price = line.unit_price
            if price is None and line.energy == "electricity":
                price = profile.electricity_price
            if price is None:
                notes.append(f"no cost data for {line.energy}: yen not counted")
                price = ZERO
            yen += removed * (price - (spec.unit_cost_yen if spec.amount is not None else ZERO))
            gj_saved += removed * line.gj_per_unit
            energy.append((line.energy, removed, line.unit))
            profile = profile.with_line(line.minus(removed, spec.use))
            if left is not None and left <= 0:
                break

    elif spec.kind == "factor":
        for line in lines:
            if line.energy != "electricity":
                continue
            covered = line.amount * spec.share
            new_t = dict(line.t)
            new_t["market"] = line.t["market"] - covered * line.per_unit("market")
            yen -= covered * spec.unit_cost_yen
            profile = profile.with_line(replace(line, t=new_t))

    elif spec.kind == "electrify":
        kwh = ZERO
        for line in lines:
            if line.kind == "electricity":
                continue
            removed = _addressed(spec, line) * spec.share
            if removed <= 0:
                continue
            gj_removed = removed * line.gj_per_unit
            kwh += gj_removed * spec.kwh_per_gj
            price = line.unit_price
            if price is None:
                notes.append(f"no cost data for {line.energy}: its yen not counted")
                price = ZERO
            yen += removed * price
            gj_saved += gj_removed
            energy.append((line.energy, removed, line.unit))
            profile = profile.with_line(line.minus(removed, spec.use))
        if kwh:
            kwh_price = profile.kwh_price()
            if kwh_price is None:
                notes.append("no electricity price: cost of the added kWh not counted")
                kwh_price = ZERO
            yen -= kwh * kwh_price
            elec = profile.line("electricity")
            added_t = {b: kwh * profile.electricity_factor[b] for b in BASES}
            added_cost = _yen(kwh * kwh_price)
            if elec is None:
                elec = EnergyLine(
                    "electricity", "electricity", ZERO, "kWh", 0, ZERO, dict.fromkeys(BASES, ZERO)
                )
            elec = replace(
                elec,
                amount=elec.amount + kwh,
                cost_yen=elec.cost_yen + added_cost,
                gj=elec.gj + kwh * Decimal("0.0036"),
                t={b: elec.t[b] + added_t[b] for b in BASES},
            )
            profile = profile.with_line(elec)
            energy.append(("electricity", -kwh, "kWh"))
            gj_saved -= kwh * Decimal("0.0036")

    elif spec.kind == "offset":
        offset_t = spec.offset_t
        yen -= spec.offset_t * spec.unit_cost_yen

    yen -= _d(spec.annual_cost_yen)
    after = profile.totals()
    effect = Effect(
        key=spec.key,
        name=spec.name,
        kind=spec.kind,
        energy=tuple(energy),
        gj_saved=gj_saved,
        t_saved={b: before[b] - after[b] for b in BASES},
        yen_saved=_yen(yen),
        investment_yen=spec.investment_yen,
        lifetime_years=spec.lifetime_years,
        offset_t=offset_t,
        notes=tuple(dict.fromkeys(notes)),
    )
    return profile, effect


def apply_measures(profile: Profile, specs) -> tuple[Profile, list[Effect]]:
    """Apply measures in the order given, each on what the earlier ones left (so two measures
    on the same kWh are not counted twice)."""
    effects = []
    for spec in specs:
        profile, effect = apply_measure(profile, spec)
        effects.append(effect)
    return profile, effects
