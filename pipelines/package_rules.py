"""Package rules: checks across the rows of one package, run before the build by `check` and `refresh` alike.

Any rule that can fail because of one package's data lives here (or in the
Pandera schemas), so a package that breaks it is quarantined before dbt or the
sizing steps see it, and `cloudfacts check` passing means the refresh will not
quarantine the package for its data.

Data decisions:
- Segments: when a report states the total and every segment of
  it_spend_by_segment for a year, the segments must add up to the total within
  half a printed unit per figure (the tolerance of the dbt test
  assert_segments_sum_to_stated_total).
- Shares: the vendor shares of one market and period in saas_vendor_share may
  not add up to more than 100 plus half a printed unit per share. vendor_share
  is exempt: its rows may be overlapping vendor groups (top 3, Chinese vendors).
- Dates: `published` must be a real date, no later than today plus
  FUTURE_MARGIN_DAYS (time zones, a report dated on its release day). An
  `actual` figure must not be for a period that starts after the report was
  published (plus the same margin); forecasts may be for any year the schema allows.
  A fiscal period (FY prefix) starts where the entity's fiscal year does
  (entities.csv fiscal_year_end_month), as the dbt period macros map it.
- Magnitudes: a value converted to its base unit must not exceed the bound of
  its dimension (MAX_BASE_VALUE): 1e30 USD is a slipped exponent, not a figure.
- Sizing: every scenario must give finite results that the warehouse can
  store with the sizing models themselves (pipelines.sizing.check_scenario).
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from pipelines import sizing, vocabulary
from pipelines.periods import bounds
from pipelines.problems import PACKAGE, VALUES, Problem

FUTURE_MARGIN_DAYS = 2
# The largest plausible value per unit dimension, in base units (with room to spare).
MAX_BASE_VALUE = {
    "money": 1e15,  # a quadrillion USD or CNY: above world GDP
    "count": 1e16,
    "tokens": 1e20,
    "ratio": 1e6,  # percent, pp, times
    "compute": 1e32,  # FLOP
    "compute_rate": 1e25,  # FLOP/s, OP/s
    "time": 1e11,  # seconds: three thousand years
    "power": 1e13,
    "data": 1e24,
    "data_rate": 1e18,
    "area": 1e10,
    "mass": 1e13,
}
SEGMENT_TOTAL = "total"
SEGMENT_HINT = "compare each segment and the total with the source (ref); a typo in one figure is the usual cause"
SHARE_HINT = "check each share against the source: a digit or decimal point may have slipped"


def today() -> date:
    return date.today()


def check_package(report_id: str, meta: dict, frames: dict[str, pd.DataFrame], specs: dict) -> list[Problem]:
    """Problems of one package whose rows passed the schemas; frames hold only its rows, by table name."""
    found = _published_problems(report_id, meta)
    published = _published_date(meta.get("published") or "")
    for name, frame in frames.items():
        if frame.empty:
            continue
        spec = specs[name]
        file = f"{report_id}/{spec.file_name}"
        found += _magnitude_problems(file, report_id, frame, spec)
        if published and "status" in frame.columns and "period" in frame.columns:
            found += _future_actuals(file, report_id, frame, published, spec.entity_column)
    if "it_spend_by_segment" in frames:
        found += _segment_problems(report_id, frames["it_spend_by_segment"])
    if "saas_vendor_share" in frames:
        found += _share_problems(report_id, frames["saas_vendor_share"])
    if "sizing_assumptions" in frames:
        found += _sizing_problems(report_id, frames["sizing_assumptions"])
    return found


def _published_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text if len(text) == 10 else f"{text}-01")
    except ValueError:
        return None


def _published_problems(report_id: str, meta: dict) -> list[Problem]:
    text = meta.get("published") or ""
    file = f"{report_id}/report.yaml"
    published = _published_date(text)
    if text and published is None:
        return [Problem(file, 0, "published", text, "must be a date that exists", report_id, PACKAGE,
                        "check the day of the month, e.g. 2024-02-29 or 2024-02")]
    latest = today() + timedelta(days=FUTURE_MARGIN_DAYS)
    if published and published > latest:
        return [Problem(file, 0, "published", text, f"must not be later than today ({today().isoformat()})",
                        report_id, PACKAGE, "use the date printed on the report; a future date would make it "
                                            "the latest vintage of every figure it states")]
    return []


def _future_actuals(file: str, report_id: str, frame: pd.DataFrame, published: date, entity_column: str) -> list[Problem]:
    latest = published + timedelta(days=FUTURE_MARGIN_DAYS)
    found = []
    for row in frame[frame["status"] == "actual"].to_dict("records"):
        period = "" if pd.isna(row["period"]) else str(row["period"])
        if period and _period_start(period, row.get(entity_column) if entity_column else None) > latest:
            found.append(Problem(file, int(row["line"]), "period", period,
                                 f"an actual figure cannot be for a period that starts after the report "
                                 f"was published ({published.isoformat()})", report_id, VALUES,
                                 "mark it forecast (预计, 预测, 有望), or check the year"))
    return found


def _period_start(period: str, entity: str | None) -> date:
    start = bounds(period)[0]
    end_month = int(vocabulary.entities().get(entity or "", {}).get("fiscal_year_end_month") or 12)
    if not period.startswith("FY") or end_month == 12:
        return start
    months = start.year * 12 + start.month - 1 - (12 - end_month)
    return date(months // 12, months % 12 + 1, 1)


def _magnitude_problems(file: str, report_id: str, frame: pd.DataFrame, spec) -> list[Problem]:
    if "unit" not in frame.columns:
        return []
    units = vocabulary.units()
    found = []
    for column in spec.numbers:
        if column.endswith("_pct"):
            continue  # growth rates: percent, bounded by the ratio rule below only through `value`
        for row in frame.itertuples(index=False):
            value, unit = getattr(row, column), units.get(str(row.unit).strip())
            if unit is None or pd.isna(value):
                continue
            limit = MAX_BASE_VALUE.get(unit.dimension)
            if limit is not None and abs(value * unit.factor) > limit:
                found.append(Problem(file, int(row.line), column, str(getattr(row, f"{column}_text", value)),
                                     f"is {abs(value * unit.factor):.3g} {unit.base_unit}, beyond the plausible "
                                     f"{limit:.0e} for {unit.dimension}", report_id, VALUES,
                                     "check the unit and the exponent against the source"))
    return found


def _segment_problems(report_id: str, frame: pd.DataFrame) -> list[Problem]:
    segments = set(vocabulary.entity_ids("it_segment")) - {SEGMENT_TOTAL}
    found = []
    for year, group in frame.groupby("year", sort=True):
        totals = group[group["segment"] == SEGMENT_TOTAL]
        parts = group[group["segment"] != SEGMENT_TOTAL]
        if len(totals) != 1 or set(parts["segment"]) != segments:
            continue
        factors = group["unit"].map(lambda u: vocabulary.units()[str(u).strip()].factor)
        in_base = group["spend"] * factors
        tolerance = float((group["spend_precision"] * factors).sum() / 2)
        total = float(in_base[group["segment"] == SEGMENT_TOTAL].iloc[0])
        summed = float(in_base[group["segment"] != SEGMENT_TOTAL].sum())
        if abs(summed - total) > tolerance:
            row = totals.iloc[0]
            scale = factors[totals.index[0]]
            found.append(Problem(f"{report_id}/it_spend_by_segment.csv", int(row["line"]), "spend",
                                 str(row.get("spend_text", row["spend"])),
                                 f"the {len(parts)} segments of {int(year)} add up to {summed / scale:,.10g}, not the "
                                 f"stated total {total / scale:,.10g} (tolerance {tolerance / scale:,.10g})", report_id, VALUES, SEGMENT_HINT))
    return found


def _share_problems(report_id: str, frame: pd.DataFrame) -> list[Problem]:
    found = []
    keyed = frame.assign(period=frame["period"].fillna(""))
    for (market, period), group in keyed.groupby(["market", "period"], sort=True):
        total = float(group["share_pct"].sum())
        tolerance = float(group["share_pct_precision"].sum() / 2)
        if total > 100 + tolerance:
            row = group.sort_values("line").iloc[-1]
            found.append(Problem(f"{report_id}/saas_vendor_share.csv", int(row["line"]), "share_pct",
                                 " + ".join(str(v) for v in group.get("share_pct_text", group["share_pct"])),
                                 f"shares of {market} {period or '(no period)'} add up to {total:g}, more than 100",
                                 report_id, VALUES, SHARE_HINT))
    return found


def _sizing_problems(report_id: str, frame: pd.DataFrame) -> list[Problem]:
    found = []
    for scenario, group in frame.groupby("scenario", sort=True):
        params = {p: v * vocabulary.units()[str(u).strip()].factor
                  for p, v, u in zip(group["parameter"], group["value"], group["unit"])}
        lines = dict(zip(group["parameter"], group["line"]))
        for parameter, rule in sizing.check_scenario(str(scenario), params):
            line = int(lines.get(parameter, group["line"].min()))
            value = str(group.loc[group["parameter"] == parameter, "value_text"].iloc[0]) if parameter in lines else ""
            found.append(Problem(f"{report_id}/sizing_assumptions.csv", line, parameter or "scenario", value, rule,
                                 report_id, VALUES, "see docs/raw-format.md#sizing"))
    return found
