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
  store with the sizing models themselves (pipelines.sizing.scenarios.check_scenario).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import pandas as pd

from pipelines.intake import vocabulary
from pipelines.intake.periods import bounds
from pipelines.intake.problems import PACKAGE, VALUES, Problem
from pipelines.sizing import scenarios as sizing

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


def check_packages(metas: dict[str, dict], frames: dict[str, pd.DataFrame], specs: dict) -> list[Problem]:
    """Problems of packages whose rows passed the schemas: metas by report_id, frames hold only their rows.
    Each rule runs once per table over every package, so a batch of packages costs a few vectorised passes."""
    found = [p for report_id, meta in metas.items() for p in _published_problems(report_id, meta)]
    latest = {
        r: d + timedelta(days=FUTURE_MARGIN_DAYS)
        for r, m in metas.items()
        if (d := _published_date(m.get("published") or ""))
    }
    for name, frame in frames.items():
        if frame.empty:
            continue
        spec = specs[name]
        found += _magnitude_problems(frame, spec)
        if "status" in frame.columns and "period" in frame.columns:
            found += _future_actuals(frame, spec, latest)
    if "it_spend_by_segment" in frames:
        found += _segment_problems(frames["it_spend_by_segment"])
    if "saas_vendor_share" in frames:
        found += _share_problems(frames["saas_vendor_share"])
    if "sizing_assumptions" in frames:
        found += _sizing_problems(frames["sizing_assumptions"])
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
        return [
            Problem(
                file,
                0,
                "published",
                text,
                "must be a date that exists",
                report_id,
                PACKAGE,
                "check the day of the month, e.g. 2024-02-29 or 2024-02",
            )
        ]
    latest = today() + timedelta(days=FUTURE_MARGIN_DAYS)
    if published and published > latest:
        return [
            Problem(
                file,
                0,
                "published",
                text,
                f"must not be later than today ({today().isoformat()})",
                report_id,
                PACKAGE,
                "use the date printed on the report; a future date would make it "
                "the latest vintage of every figure it states",
            )
        ]
    return []


def _future_actuals(frame: pd.DataFrame, spec, latest: dict[str, date]) -> list[Problem]:
    rows = frame[(frame["status"] == "actual") & frame["period"].notna() & frame["report_id"].isin(list(latest))]
    entities = rows[spec.entity_column] if spec.entity_column else pd.Series(None, index=rows.index)
    starts = pd.Series(
        [
            _period_start(str(p), e if isinstance(e, str) else None)
            for p, e in zip(rows["period"], entities, strict=True)
        ],
        index=rows.index,
        dtype=object,
    )
    found = []
    for _, row in rows[starts > rows["report_id"].map(latest)].iterrows():  # only the rows that break the rule
        published = latest[row["report_id"]] - timedelta(days=FUTURE_MARGIN_DAYS)
        found.append(
            Problem(
                f"{row['report_id']}/{spec.file_name}",
                int(row["line"]),
                "period",
                str(row["period"]),
                f"an actual figure cannot be for a period that starts after the report "
                f"was published ({published.isoformat()})",
                row["report_id"],
                VALUES,
                "mark it forecast (预计, 预测, 有望), or check the year",
            )
        )
    return found


@cache
def _period_start(period: str, entity: str | None) -> date:
    start = bounds(period)[0]
    end_month = int(vocabulary.entities().get(entity or "", {}).get("fiscal_year_end_month") or 12)
    if not period.startswith("FY") or end_month == 12:
        return start
    months = start.year * 12 + start.month - 1 - (12 - end_month)
    return date(months // 12, months % 12 + 1, 1)


def _magnitude_problems(frame: pd.DataFrame, spec) -> list[Problem]:
    if "unit" not in frame.columns:
        return []
    units = frame["unit"].astype(str).str.strip().map(vocabulary.units())
    factor = units.map(lambda u: u.factor if isinstance(u, vocabulary.Unit) else float("nan"))
    limit = units.map(
        lambda u: MAX_BASE_VALUE.get(u.dimension, float("inf")) if isinstance(u, vocabulary.Unit) else float("inf")
    )
    found = []
    for column in spec.numbers:
        if column.endswith("_pct"):
            continue  # growth rates are percent whatever the row's unit
        size = (pd.to_numeric(frame[column], errors="coerce") * factor).abs()
        for index in frame.index[size > limit]:
            unit, report_id = units[index], frame.at[index, "report_id"]
            found.append(
                Problem(
                    f"{report_id}/{spec.file_name}",
                    int(frame.at[index, "line"]),
                    column,
                    str(frame.at[index, f"{column}_text"]) if f"{column}_text" in frame else "",
                    f"is {size[index]:.3g} {unit.base_unit}, beyond the plausible "
                    f"{limit[index]:.0e} for {unit.dimension}",
                    report_id,
                    VALUES,
                    "check the unit and the exponent against the source",
                )
            )
    return found


def _segment_problems(frame: pd.DataFrame) -> list[Problem]:
    segments = set(vocabulary.entity_ids("it_segment")) - {SEGMENT_TOTAL}
    found = []
    for (report_id, year), group in frame.groupby(["report_id", "year"], sort=True):
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
            found.append(
                Problem(
                    f"{report_id}/it_spend_by_segment.csv",
                    int(row["line"]),
                    "spend",
                    str(row.get("spend_text", row["spend"])),
                    f"the {len(parts)} segments of {int(year)} add up to {summed / scale:,.10g}, not the "
                    f"stated total {total / scale:,.10g} (tolerance {tolerance / scale:,.10g})",
                    report_id,
                    VALUES,
                    SEGMENT_HINT,
                )
            )
    return found


def _share_problems(frame: pd.DataFrame) -> list[Problem]:
    found = []
    keyed = frame.assign(period=frame["period"].fillna(""))
    for (report_id, market, period), group in keyed.groupby(["report_id", "market", "period"], sort=True):
        total = float(group["share_pct"].sum())
        tolerance = float(group["share_pct_precision"].sum() / 2)
        if total > 100 + tolerance:
            row = group.sort_values("line").iloc[-1]
            found.append(
                Problem(
                    f"{report_id}/saas_vendor_share.csv",
                    int(row["line"]),
                    "share_pct",
                    " + ".join(str(v) for v in group.get("share_pct_text", group["share_pct"])),
                    f"shares of {market} {period or '(no period)'} add up to {total:g}, more than 100",
                    report_id,
                    VALUES,
                    SHARE_HINT,
                )
            )
    return found


def _sizing_problems(frame: pd.DataFrame) -> list[Problem]:
    found = []
    for (report_id, scenario), group in frame.groupby(["report_id", "scenario"], sort=True):
        params = {
            p: v * vocabulary.units()[str(u).strip()].factor
            for p, v, u in zip(group["parameter"], group["value"], group["unit"], strict=True)
        }
        lines = dict(zip(group["parameter"], group["line"], strict=True))
        for parameter, rule in sizing.check_scenario(str(scenario), params):
            line = int(lines.get(parameter, group["line"].min()))
            value = str(group.loc[group["parameter"] == parameter, "value_text"].iloc[0]) if parameter in lines else ""
            found.append(
                Problem(
                    f"{report_id}/sizing_assumptions.csv",
                    line,
                    parameter or "scenario",
                    value,
                    rule,
                    report_id,
                    VALUES,
                    "see docs/raw-format.md#sizing",
                )
            )
    return found
