"""The real Dagster job into a temporary warehouse; values recomputed from the seed CSVs."""

import pytest

from tests.helpers import SIZING_COLUMNS, SIZING_COLUMNS_SQL, SWSC, seed_rows, seed_value, sizing_columns

# Printed results of the source's own sizing (S2 L783-787, L802-805), compared, never copied.
PRINTED_TRAINING = {"gpu_hours": 11_182_336, "gpus": 15_531, "servers": 1_941}
PRINTED_INFERENCE = {"gpu_hours_per_day": 1_458_333, "gpus": 60_764, "servers": 7_596}


def test_2023_software_growth_and_share(query):
    spend_2022 = seed_value("it_spend_by_segment", "spend", segment="software", year="2022")
    spend_2023 = seed_value("it_spend_by_segment", "spend", segment="software", year="2023")
    total_2023 = seed_value("it_spend_by_segment", "spend", segment="total", year="2023")
    stated = seed_value("it_spend_by_segment", "stated_growth_pct", segment="software", year="2023")
    [(growth, share, gap, spend)] = query(
        "select yoy_growth_pct, share_of_total_pct, growth_gap_pp, spend_usd_m from marts.fct_it_spend_by_segment "
        "where report_id = ? and segment = 'software' and year = 2023",
        SWSC,
    )
    assert growth == pytest.approx((spend_2023 / spend_2022 - 1) * 100, abs=1e-6)
    assert share == pytest.approx(spend_2023 / total_2023 * 100, abs=1e-6)
    assert gap == pytest.approx(stated - growth, abs=1e-6)
    assert spend == spend_2023  # the seed's unit is USD million already


def test_first_year_has_no_recomputed_growth(query):
    rows = query("select yoy_growth_pct from marts.fct_it_spend_by_segment where year = 2022")
    assert rows and all(growth is None for (growth,) in rows)


def test_2021h1_operator_revenue_implied_from_2022h1(query):
    for row in seed_rows("operator_cloud_revenue"):
        expected = float(row["revenue"]) / (1 + float(row["stated_yoy_pct"]) / 100)
        [(prior, period, basis)] = query(
            "select prior_period_revenue_cny_100m, prior_period, prior_period_basis from marts.fct_operator_cloud_revenue "
            "where operator = ? and period = ?",
            row["operator"],
            row["period"],
        )
        assert prior == pytest.approx(expected, abs=1e-6)
        assert (period, basis) == ("2021H1", "implied_from_stated_yoy")


def test_operator_shares_add_to_100(query):
    revenues = {r["operator"]: float(r["revenue"]) for r in seed_rows("operator_cloud_revenue")}
    rows = dict(query("select operator, share_of_operators_pct from marts.fct_operator_cloud_revenue"))
    assert set(rows) == {"china_mobile", "china_telecom", "china_unicom"}
    for operator, share in rows.items():
        assert share == pytest.approx(revenues[operator] / sum(revenues.values()) * 100, abs=1e-6)


def test_saas_cumulative_share_is_top_n_concentration(query):
    shares = [float(r["share_pct"]) for r in seed_rows("saas_vendor_share")]
    rows = query("select cumulative_share_pct from marts.fct_saas_vendor_share order by rank, source_line")
    assert [c for (c,) in rows] == pytest.approx([sum(shares[: i + 1]) for i in range(len(shares))])


def test_base_case_sizing_reproduces_the_printed_results(query):
    [training] = query("select gpu_hours, gpus, servers from sizing.gpu_training where scenario = 'base'")
    [inference] = query("select gpu_hours_per_day, gpus, servers from sizing.gpu_inference where scenario = 'base'")
    assert dict(zip(PRINTED_TRAINING, training, strict=True)) == PRINTED_TRAINING
    assert dict(zip(PRINTED_INFERENCE, inference, strict=True)) == PRINTED_INFERENCE


def test_every_mart_row_traces_to_a_report_and_place(query):
    for mart in (
        "fct_it_spend_by_segment",
        "fct_operator_cloud_revenue",
        "fct_saas_vendor_share",
        "fct_sizing_assumption",
    ):
        missing = query(
            f"select count(*) from marts.{mart} m left join marts.dim_report r using (report_id) "
            f"where r.report_id is null or m.ref is null or m.source_line is null"
        )
        assert missing == [(0,)], mart


def test_dim_report_carries_origin_metadata(query):
    rows = query("select report_id, publisher, published from marts.dim_report order by report_id")
    assert (SWSC, "西南证券", "2023-03") in rows
    assert len(rows) == 2


def test_published_file_and_working_copy(built):
    warehouse = built["warehouse"]
    assert warehouse.exists()
    assert (warehouse.parent / ".build" / warehouse.name).exists()


def test_sizing_tables_keep_their_columns_and_types(query):
    assert sizing_columns(query(SIZING_COLUMNS_SQL)) == SIZING_COLUMNS


def test_source_verification_holds_every_numeric_cell_of_the_seeds(query, built):
    from pipelines.intake.validation import validate_raw_dir

    expected = validate_raw_dir(built["raw"]).validated.verification
    rows = query(
        "select report_id, source_table, source_line, column_name, value_as_written, source_check, matched_text "
        "from marts.source_verification order by all"
    )
    cells = expected[["report_id", "source_table", "source_line", "column_name", "value_as_written"]]
    assert sorted(map(tuple, cells.astype(object).values.tolist())) == [row[:5] for row in rows]
    counts = dict(query("select source_check, count(*) from marts.source_verification group by all"))
    assert counts == {"verified": 270, "exempt": 2}
    [(text,)] = query(
        "select matched_text from marts.source_verification where source_table = 'sizing_assumptions' "
        "and value_as_written = '3.14e11'"
    )
    assert text == "3.14×1011"


def test_fct_metric_carries_the_status_of_each_figure(query):
    missing = query(
        "select count(*) from marts.fct_metric f left join marts.source_verification v "
        "on f.report_id = v.report_id and f.source_table = v.source_table and f.source_line = v.source_line "
        "and v.column_name in ('value', 'spend', 'revenue', 'share_pct') "
        "where f.source_check is distinct from v.source_check"
    )
    assert missing == [(0,)]
    assert query("select count(*) from marts.fct_metric where source_check is null") == [(0,)]


def test_every_package_with_a_source_has_a_passing_source_check(built):
    evaluations = {
        e.event_specific_data.check_name: e.event_specific_data
        for e in built["result"].all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
    }
    mine = {name: e for name, e in evaluations.items() if name.startswith("source_verified_")}
    assert sorted(mine) == [
        "source_verified_2023_03_swsc_cloud_computing",
        "source_verified_2026_02_cjsc_alibaba_cloud_token",
    ]
    swsc = mine["source_verified_2023_03_swsc_cloud_computing"]
    assert swsc.passed and {
        k: swsc.metadata[k].value for k in ("cells_checked", "verified", "exempt", "not_found")
    } == {
        "cells_checked": 251,
        "verified": 249,
        "exempt": 2,
        "not_found": 0,
    }


def test_a_number_not_found_warns_and_the_refresh_still_publishes(tmp_path):
    import shutil

    import dagster as dg
    import duckdb

    from tests.conftest import REPO_RAW, run_job
    from tests.helpers import edit

    raw = tmp_path / "raw"
    shutil.copytree(REPO_RAW, raw)
    edit(raw / SWSC / "operator_cloud_revenue.csv", "china_telecom,2022H1,280.8,", "china_telecom,2022H1,28.08,")
    warehouse = tmp_path / "warehouse" / "cloudfacts.duckdb"
    result = run_job(raw, warehouse)
    assert result.success
    [check] = [
        e.event_specific_data
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
        and e.event_specific_data.check_name == "source_verified_2023_03_swsc_cloud_computing"
    ]
    assert (check.passed, check.severity, check.metadata["not_found"].value) == (
        False,
        dg.AssetCheckSeverity.WARN,
        1,
    )
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        rows = connection.execute(
            "select column_name, value_as_written, ref, source_excerpt from marts.source_verification "
            "where source_check = 'not_found'"
        ).fetchall()
        lines = connection.execute(
            "select report_id, count(*), count(no_fact_reason) from raw.source_lines group by all order by all"
        ).fetchall()
    assert rows == [
        (
            "revenue",
            "28.08",
            "S2 L311-312",
            "至2022H1，移动云、天翼云、联通云收入分别同比增长103.6%、100.8%、143%至234、280.8、",
        )
    ]
    assert lines == [(SWSC, 1172, 0), ("2026-02-cjsc-alibaba-cloud-token", 126, 100)]  # L2-6 and L32-126
