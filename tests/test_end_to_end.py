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
