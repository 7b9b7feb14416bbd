"""fct_metric and the marts built on it: coverage, normalisation, derived facts,
reconciliation findings and sizing joined onto facts, recomputed from the seeds."""

import csv
from pathlib import Path

import pytest

from pipelines.project import SEEDS_DIR
from pipelines.sizing.arithmetic import half_up
from tests.helpers import SWSC, seed_rows

CJSC = "2026-02-cjsc-alibaba-cloud-token"
COVERAGE = Path(__file__).parent / "coverage"


def fx(year: int, currency: str = "CNY") -> float:
    with open(SEEDS_DIR / "fx_rates.csv", encoding="utf-8") as handle:
        rates = {(int(r["year"]), r["currency"]): float(r["per_usd"]) for r in csv.DictReader(handle)}
    return rates[year, currency]


def row(table, report_id=SWSC, **match):
    [found] = [r for r in seed_rows(table, report_id) if all(r[k] == v for k, v in match.items())]
    return found


@pytest.mark.parametrize("report_id", [SWSC, CJSC])
def test_coverage_every_inventory_figure_is_in_fct_metric(query, report_id):
    with open(COVERAGE / f"{report_id}.csv", encoding="utf-8") as handle:
        expected = {tuple(r.values()) for r in csv.DictReader(handle)}
    present = set(
        query(
            "select metric, entity, coalesce(period, ''), coalesce(market, '') from marts.fct_metric "
            "where report_id = ?",
            report_id,
        )
    )
    assert expected - present == set()
    assert len(present) == len(expected)


def test_chinese_scales_and_usd(query):
    [(tokens, unit)] = query(
        "select value_base, base_unit from marts.fct_metric where entity = 'google' "
        "and metric = 'tokens_processed_daily'"
    )
    printed = float(row("token_volume", CJSC, entity="google", metric="tokens_processed_daily")["value"])
    assert (tokens, unit) == (pytest.approx(printed * 1e12), "tokens")
    [(usd, year)] = query(
        "select value_usd, fx_year from marts.fct_metric where entity = 'china_public_cloud_iaas' "
        "and metric = 'market_size'"
    )
    iaas = float(row("market_size", market="china_public_cloud_iaas", metric="market_size")["value"])
    assert year == 2021 and usd == pytest.approx(iaas * 1e8 / fx(2021))


def test_fiscal_quarters_follow_the_fiscal_year_end(query):
    [(start, end, granularity)] = query(
        "select cast(period_start as varchar), cast(period_end as varchar), granularity from marts.fct_metric "
        "where entity = 'microsoft_intelligent_cloud' and period = 'FY2023Q2'"
    )
    assert (start, end, granularity) == ("2022-10-01", "2022-12-31", "quarter_fiscal")


def test_a_day_ends_on_that_day(query):
    printed = row("model_facts", CJSC, model="sora", metric="release")["period"]
    [(start, end, granularity)] = query(
        "select cast(period_start as varchar), cast(period_end as varchar), granularity from marts.fct_metric "
        "where entity = 'sora' and metric = 'release'"
    )
    assert (start, end, granularity) == (printed, printed, "day")


def test_qualifiers_and_status_kept_as_printed(query):
    rows = dict(
        query(
            "select metric || ':' || entity, qualifier from marts.fct_metric where metric in "
            "('model_parameters', 'market_size') and entity in ('chatgpt', 'global_hpc') and coalesce(period, '2021') = '2021'"
        )
    )
    assert rows == {"model_parameters:chatgpt": "order_of_magnitude", "market_size:global_hpc": "approx"}


def test_cagr_recomputed_and_reconciled(query):
    start = float(
        row("compute_capacity", entity="china", metric="intelligent_compute_capacity", period="2021")["value"]
    )
    end = float(row("compute_capacity", entity="china", metric="intelligent_compute_capacity", period="2026")["value"])
    stated = float(row("compute_capacity", entity="china", metric="cagr")["value"])
    expected = ((end / start) ** (1 / 5) - 1) * 100
    [(derived,)] = query("select value from marts.fct_metric_derived where derivation = 'cagr' and entity = 'china'")
    [(computed, status)] = query(
        "select computed_value, status from marts.reconciliation where rule = 'stated_cagr_vs_endpoints'"
    )
    assert derived == pytest.approx(expected, abs=1e-6) and computed == pytest.approx(expected, abs=1e-6)
    assert status == ("ok" if abs(stated - expected) <= 0.05 + 0.02 else "mismatch")


def test_reconciliation_finds_the_reports_inconsistencies(query):
    profit = float(row("vendor_financials", company="aws", metric="operating_profit")["value"])
    revenue = float(row("vendor_financials", company="aws", metric="revenue")["value"])
    [(stated, computed, status)] = query(
        "select stated_value, computed_value, status from marts.reconciliation "
        "where rule = 'stated_ratio_vs_parts' and subject like '%aws%'"
    )
    assert computed == pytest.approx(profit / revenue * 100, abs=1e-6) and status == "mismatch"
    levels = [
        float(
            row("vendor_financials", company="microsoft_intelligent_cloud", metric="operating_margin", period=p)[
                "value"
            ]
        )
        for p in ("FY2022Q3", "FY2023Q2")
    ]
    [(stated, computed, status)] = query(
        "select stated_value, computed_value, status from marts.reconciliation "
        "where rule = 'stated_pp_change_vs_levels'"
    )
    assert (
        computed == pytest.approx(levels[1] - levels[0]) and stated != pytest.approx(computed) and status == "mismatch"
    )


def test_consistent_tables_raise_no_false_alarm(query):
    statuses = query(
        "select status from marts.reconciliation where subject like 'it_spend%' or rule = 'components_vs_total'"
    )
    assert len(statuses) >= 10 and {s for (s,) in statuses} == {"ok"}


def test_concentration_is_the_sum_of_the_largest_shares(query):
    shares = sorted((float(r["share_pct"]) for r in seed_rows("saas_vendor_share")), reverse=True)
    [(cr3,)] = query(
        "select value from marts.fct_metric_derived where derivation = 'concentration_cr3' "
        "and entity = 'china_enterprise_saas'"
    )
    assert cr3 == pytest.approx(sum(shares[:3]))


def test_token_volume_sized_with_the_scenario_speed(query):
    tokens = float(row("token_volume", CJSC, entity="google", metric="tokens_processed_daily")["value"]) * 1e12
    seconds = float(row("sizing_assumptions", parameter="time_per_word")["value"]) / 1000
    per_server = float(row("sizing_assumptions", parameter="gpus_per_server")["value"])
    [(gpus, servers, fact_ref, report)] = query(
        "select gpus, servers, fact_ref, fact_report_id from sizing.token_inference where scenario = 'base'"
    )
    expected_gpus = half_up(half_up(tokens * seconds / 3600) / 24)
    assert (gpus, servers) == (expected_gpus, half_up(expected_gpus / per_server))
    assert (fact_ref, report) == ("S1 L18", CJSC)


def test_compute_capacity_in_equivalent_gpus(query):
    capacity = float(
        row("compute_capacity", entity="china", metric="intelligent_compute_capacity", period="2021")["value"]
    )
    throughput = float(row("sizing_assumptions", parameter="gpu_throughput")["value"])
    [(accelerators,)] = query("select accelerators from sizing.compute_equivalent_gpus where period = '2021'")
    assert accelerators == half_up(capacity * 1e18 / (throughput * 1e12))
