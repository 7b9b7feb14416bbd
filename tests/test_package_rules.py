"""Package rules: data that passes the schemas but would break the build is caught by `check`, package by package.

Each case edits one cell of a copy of a seed package (tests/helpers.edit) and asserts the exact
problem `cloudfacts check` and the refresh's loader report, with the figures recomputed from the seed.
"""

from __future__ import annotations

import shutil
from datetime import date, timedelta

import pytest

from pipelines.intake import package_rules
from pipelines.intake.validation import validate_raw_dir
from pipelines.warehouse.paths import DEFAULT_RAW_DIR
from tests.helpers import SWSC, edit, seed_rows

FILE = f"{SWSC}/it_spend_by_segment.csv"


@pytest.fixture
def raw(tmp_path):
    shutil.copytree(DEFAULT_RAW_DIR, tmp_path / "raw")
    return tmp_path / "raw"


def problems(raw) -> list[str]:
    return [str(p) for p in validate_raw_dir(raw).all_problems]


def test_seed_packages_pass_every_rule(raw):
    assert problems(raw) == []


def test_published_date_must_exist(raw):
    edit(raw / SWSC / "report.yaml", "published: 2023-03", "published: 2024-02-31")
    assert problems(raw) == [
        f"{SWSC}/report.yaml: [{SWSC}] column published value '2024-02-31': must be a date "
        "that exists (hint: check the day of the month, e.g. 2024-02-29 or 2024-02)"
    ]


def test_report_from_the_future_is_refused(raw):
    edit(raw / SWSC / "report.yaml", "published: 2023-03", "published: 2099-12")
    [problem] = problems(raw)
    assert f"value '2099-12': must not be later than today ({date.today().isoformat()})" in problem


def test_published_within_the_margin_is_accepted(raw):
    soon = date.today() + timedelta(days=package_rules.FUTURE_MARGIN_DAYS)
    edit(raw / SWSC / "report.yaml", "published: 2023-03", f"published: {soon.isoformat()}")
    assert problems(raw) == []


def test_actual_figure_for_a_period_after_publication(raw):
    edit(raw / SWSC / "report.yaml", "published: 2023-03", "published: 2021-06")
    found = problems(raw)
    # actual 2022 figures cannot be in a report of 2021-06; forecasts for 2022 could be
    actual = [r for r in seed_rows("vendor_financials") if r["status"] == "actual" and r["period"].startswith("2022")]
    flagged = [p for p in found if p.startswith(f"{SWSC}/vendor_financials.csv:")]
    assert actual and len(flagged) >= len(actual)
    assert all(
        "an actual figure cannot be for a period that starts after the report was published (2021-06-01)" in p
        for p in flagged
    )


def test_fiscal_periods_start_where_the_fiscal_year_does(raw):
    # Microsoft's FY2023Q2 is Oct-Dec 2022: an actual figure in a report of 2023-03 (the seed) is fine
    assert any(r["period"] == "FY2023Q2" for r in seed_rows("vendor_financials"))
    assert problems(raw) == []


def test_segments_must_add_up_to_the_total(raw):
    edit(raw / SWSC / "it_spend_by_segment.csv", "software,2022,783462,", "software,2022,783562,")
    rows = [r for r in seed_rows("it_spend_by_segment") if r["year"] == "2022"]
    summed = sum(int(r["spend"]) for r in rows if r["segment"] != "total") + 100
    total = next(int(r["spend"]) for r in rows if r["segment"] == "total")
    line = 1 + next(
        i for i, r in enumerate(seed_rows("it_spend_by_segment"), 1) if r["segment"] == "total" and r["year"] == "2022"
    )
    assert problems(raw) == [
        f"{FILE}:{line}: [{SWSC}] column spend value '{total}': the 5 segments of 2022 add up to {summed:,}, not "
        f"the stated total {total:,} (tolerance 3) (hint: compare each segment and the total with the source (ref); "
        "a typo in one figure is the usual cause)"
    ]


def test_shares_of_a_market_cannot_exceed_100(raw):
    edit(
        raw / SWSC / "saas_vendor_share.csv",
        "china_enterprise_saas,,kingdee,5.8,",
        "china_enterprise_saas,,kingdee,95.8,",
    )
    shares = [r["share_pct"] for r in seed_rows("saas_vendor_share") if r["market"] == "china_enterprise_saas"]
    total = 90 + sum(float(s) for s in shares)
    [problem] = problems(raw)
    assert f"shares of china_enterprise_saas (no period) add up to {total:g}, more than 100" in problem


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        ("0", "column utilization value '0': must be more than 0 and at most 100"),
        ("120", "column utilization value '120': must be at most 100"),
    ],
)
def test_utilization_must_lie_in_its_domain(raw, value, rule):
    edit(raw / SWSC / "sizing_assumptions.csv", "base,utilization,40,", f"base,utilization,{value},")
    [problem] = problems(raw)
    assert rule in problem and problem.startswith(f"{SWSC}/sizing_assumptions.csv:5:")


def test_training_compute_that_overflows_is_refused(raw):
    edit(raw / SWSC / "sizing_assumptions.csv", "base,training_compute,3.14e11,", "base,training_compute,1e300,")
    found = problems(raw)
    assert any("column training_compute value '1e300': must be a finite number" in p for p in found)
    assert any("column value value '1e300': is inf FLOP, beyond the plausible 1e+32 for compute" in p for p in found)


def test_incomplete_scenario_is_a_package_problem(raw):
    path = raw / SWSC / "sizing_assumptions.csv"
    path.write_text(
        "\n".join(
            line
            for line in path.read_text(encoding="utf-8").splitlines()
            if not line.startswith("base,gpu_throughput,")
        )
        + "\n",
        encoding="utf-8",
    )
    [problem] = problems(raw)
    assert "scenario 'base' lacks gpu_throughput for training sizing" in problem


def add_scenario(raw, *rows: str) -> None:
    with open(raw / SWSC / "sizing_assumptions.csv", "a", encoding="utf-8") as handle:
        handle.writelines(f"h100,{row},p. 1,\n" for row in rows)


def test_scenario_of_only_a_fact_models_parameters_is_sized_by_it_not_refused(raw):
    """time_per_word and gpus_per_server are all token_inference needs; no inference parameter of its own is stated."""
    add_scenario(raw, "time_per_word,20,ms", "gpus_per_server,8,count")
    assert problems(raw) == []


@pytest.mark.parametrize(
    ("rows", "rule"),
    [
        (
            ("words_per_answer,50,count", "time_per_word,20,ms"),
            "scenario 'h100' lacks gpus_per_server for inference sizing",
        ),
        (
            ("words_per_answer,50,count", "time_per_word,20,ms", "gpus_per_server,8,count"),
            "scenario 'h100' lacks monthly_active_users, questions_per_user_per_day for inference sizing",
        ),
        (
            ("utilization,40,percent", "gpus_per_server,8,count"),
            "scenario 'h100' lacks training_compute, gpu_throughput, training_duration for training sizing",
        ),
    ],
)
def test_some_of_a_models_own_parameters_is_still_a_package_problem(raw, rows, rule):
    add_scenario(raw, *rows)
    assert problems(raw) == [
        f"{SWSC}/sizing_assumptions.csv:13: [{SWSC}] column scenario: {rule} (hint: see docs/raw-format.md#sizing)"
    ]


def test_parameter_that_feeds_no_model_is_a_package_problem(raw):
    add_scenario(raw, "gpu_throughput,989,TFLOPS")
    assert problems(raw) == [
        f"{SWSC}/sizing_assumptions.csv:13: [{SWSC}] column gpu_throughput value '989': sizes "
        "nothing in scenario 'h100': compute_equivalent sizing also needs gpus_per_server "
        "(hint: see docs/raw-format.md#sizing)"
    ]


def test_implausible_magnitude_is_refused(raw):
    edit(raw / SWSC / "it_spend_by_segment.csv", "data_center_systems,2022,212376,", "data_center_systems,2022,2e30,")
    found = problems(raw)
    assert (
        f"{FILE}:2: [{SWSC}] column spend value '2e30': is 2e+36 USD, beyond the plausible 1e+15 for money "
        "(hint: check the unit and the exponent against the source)" in found
    )


def test_names_that_are_not_utf8_are_quarantined_not_fatal(raw):
    (raw / SWSC / "\udcca\udcfd\udcbe\udcdd.csv").write_bytes(b"x")
    shutil.copytree(raw / "2026-02-cjsc-alibaba-cloud-token", raw / "\udcca\udcfd")
    loaded = validate_raw_dir(raw)
    assert [str(p) for p in loaded.all_problems] == [
        f"{SWSC}/\\xca\\xfd\\xbe\\xdd.csv: [{SWSC}] value '\\\\xca\\\\xfd\\\\xbe\\\\xdd.csv': file name is not valid "
        "UTF-8 (hint: rename it in ASCII or UTF-8 (a zip made on Chinese Windows stores GBK names))",
        "\\xca\\xfd/: [\\xca\\xfd] value '\\\\xca\\\\xfd': folder name is not valid UTF-8 (hint: rename it in ASCII "
        "or UTF-8 (a zip made on Chinese Windows stores GBK names))",
    ]
    assert all(p.encode("utf-8") for p in map(str, loaded.all_problems))
