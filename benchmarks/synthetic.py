"""Deterministic synthetic report packages, for benchmarks at scale.

    python benchmarks/synthetic.py OUT_DIR N [--seed S] [--start K] [--facts-per-report F]

writes N packages OUT_DIR/synth-<number, 6 digits>/ (numbers K..K+N-1), each valid under
pipelines.intake.validation and safe for every dbt test in dbt/. 10,000 packages hold 1,000,000 rows.

Data decisions:
- Determinism: package `number` draws only from random.Random(f"{seed}:{number}"); values
  that all reports share (a market's size, a company's revenue, a project's cabinets) come
  from random.Random(f"{seed}:truth:<id>"). Only Random.random() is called, the one method
  whose sequence Python promises to keep, and nothing iterates over a set, so the same
  (seed, number, facts_per_report) gives the same bytes whatever n, start or
  PYTHONHASHSEED are: adding package N+1 leaves packages 0..N as they were. The ids are
  hard-coded here (and checked against dbt/seeds on first use), so editing a seed never
  shifts the output silently; editing this file does, and so does a table added to
  pipelines/intake/tables.py. Fiscal year ends come from dbt/seeds/entities.csv, as the
  package rules read them.
- Columns: every row is written by column name in the order of its table's spec
  (pipelines.intake.tables), so nothing here copies a column list. tests/test_synthetic.py
  fails when a table or column of the specs is never written.
- Subjects: a report is about a few markets, companies, projects and models (per table a
  subject list of 1-10 ids, widened only when it runs out of keys), and reports discuss the
  models of their time. Undated facts (a model's parameters, a project's floor area) are
  restated by many reports and pair with each other in fct_metric_revision, so the tables
  with few keys (model_facts, datacenter_projects, compute_capacity, metrics) are capped at
  8-20 % of facts_per_report and half of their static facts carry an "as of" year.
- Values: each report states a figure close to the shared truth, with one noise factor
  (+-3 %) per series, so growth within a series equals the true growth; reports restate
  each other's figures with small revisions. Within a report a series is consistent: a
  stated_yoy_pct beside a printed prior period is recomputed from the printed values (else
  it is the true growth +-1 pp), margins come from printed profit and revenue, pp changes
  and shares of a parent from the same per-report factors, an IT-spend total is the exact
  sum of its printed segments, and 85 % of CAGRs equal the true growth (15 % are "from
  another source"). About 1 % of reconciliation rules still mismatch (components vs
  totals, those CAGRs, operator growth rounded to 0.1), as in real reports; they are warnings.
- Status follows the period: forecast when it ends after the publication date, else
  actual (vendor shares and typed operator revenue are always past periods). Periods use
  every form of the grammar: YYYY, H, Q, month, day, START/END for CAGR and pp changes,
  FY periods for Microsoft (fiscal year ending in June). Dates are real (day <= 28).
- Tables: 3-6 of the long fact tables per package (weighted towards market_size,
  vendor_financials and metrics; a long table of the specs without a generator of its own
  gets weight 1 and gen_one_off, which writes figures of the one-off metrics (ONE_OFF)
  under its lead columns), plus it_spend_by_segment (18 % of packages),
  operator_cloud_revenue (15 %) and saas_vendor_share (12 %). Exactly facts_per_report
  rows per package (unless the ids run out of keys, which 100 never does).
- Constraints the dbt tests rely on:
  * vendor shares (vendor_share and saas_vendor_share) of one market and period add up
    to at most 95 %, vendor groups included; one group of shares per market and period;
  * it_spend_by_segment lists all five segments and their exact integer total, or leaves
    the total out (assert_segments_sum_to_stated_total);
  * the long tables never use metric it_spend or cloud_revenue, which the typed tables own;
- Constraints the package rules rely on: no report is published after LATEST_PUBLISHED,
  and an `actual` figure whose period starts after the publication date becomes a forecast.
  * levels that enter CAGR formulas are positive (operating_profit may be negative, but no
    CAGR is stated for companies), and CAGR ranges span at least three years.
- Sizing: sizing_assumptions appear only in anchor packages (number divisible by 50):
  one complete `base` scenario with all eleven parameters (answers_per_day = MAU x
  questions), so no sizing step meets a partial scenario. Anchors also state Google's
  tokens_processed_daily and China's intelligent_compute_capacity and are published
  2024-2026. A range without an anchor refreshes too: its sizing tables publish empty,
  typed, and warn (tests/test_synthetic.py). Every anchor restates `base`, so
  sizing.token_inference and sizing.compute_equivalent_gpus size each fact with the
  latest anchor's base only (the latest vintage of each scenario name).
- Text: report.yaml has title, publisher, published (2018-2026, YYYY-MM or YYYY-MM-DD),
  language (80 % zh with title_en and publisher_en, 20 % en) and notes marking the package
  as synthetic; values are JSON-style double-quoted YAML strings.
  Credited sources come from a small list (Gartner, IDC, 中国信通院, 公司公告, 艾瑞咨询 ...),
  about one row in five carries a note (period not stated, printed 约..., 预计 ...), refs
  are "p. N" in page order. UTF-8 without BOM, "\\n" line ends, csv-module quoting.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from functools import partial
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from pipelines.intake import vocabulary  # noqa: E402
from pipelines.intake.periods import bounds  # noqa: E402
from pipelines.intake.tables import FACT_TABLES, TABLES_BY_NAME  # noqa: E402

ANCHOR_EVERY = 50
LATEST_PUBLISHED = (2026, 10)  # year, month: no synthetic report is dated after this
DERIVED_EVERY = 10  # one row in 10 of a table, across packages, declares its value derived (column derived)
DERIVED_REASON = "converted from the printed unit"
# The long tables that have a generator of their own, weighted; every other long table of the specs weighs 1.
DEDICATED_WEIGHTS = (
    ("market_size", 5),
    ("vendor_financials", 4),
    ("metrics", 4),
    ("vendor_share", 3),
    ("compute_capacity", 2),
    ("model_facts", 2),
    ("datacenter_projects", 2),
    ("token_volume", 2),
)
LONG_TABLE_WEIGHTS = DEDICATED_WEIGHTS + tuple(
    (spec.name, 1) for spec in FACT_TABLES if spec.name not in dict(DEDICATED_WEIGHTS)
)
# Tables whose keys are few (static attributes of a dozen models or projects): capped at this share of
# facts_per_report, so 10,000 reports do not restate the same undated figure thousands of times.
SMALL_TABLES = {"model_facts": 0.08, "datacenter_projects": 0.15, "compute_capacity": 0.15, "metrics": 0.2}
TYPED_CHANCE = (("it_spend_by_segment", 0.18), ("operator_cloud_revenue", 0.15), ("saas_vendor_share", 0.12))


# --- randomness: only Random.random(), whose sequence Python keeps across versions -------------


class Rng:
    __slots__ = ("random",)

    def __init__(self, key: str):
        self.random = random.Random(key).random

    def below(self, n: int) -> int:
        return int(self.random() * n)

    def between(self, low: int, high: int) -> int:
        return low + int(self.random() * (high - low + 1))

    def uniform(self, low: float, high: float) -> float:
        return low + (high - low) * self.random()

    def chance(self, p: float) -> bool:
        return self.random() < p

    def pick(self, seq):
        return seq[int(self.random() * len(seq))]

    def weighted(self, pairs):
        total = sum(w for _, w in pairs)
        x = self.random() * total
        for item, weight in pairs:
            x -= weight
            if x < 0:
                return item
        return pairs[-1][0]

    def sample(self, seq, k: int) -> list:
        pool = list(seq)
        k = min(k, len(pool))
        for i in range(k):
            j = i + int(self.random() * (len(pool) - i))
            pool[i], pool[j] = pool[j], pool[i]
        return pool[:k]


# --- periods: (text, end as yyyymmdd) -------------------------------------------------------


def _month_days(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _end(year: int, month: int) -> int:
    return year * 10000 + month * 100 + _month_days(year, month)


def p_year(y):
    return str(y), _end(y, 12)


def p_half(y, h):
    return f"{y}H{h}", _end(y, 6 * h)


def p_quarter(y, q):
    return f"{y}Q{q}", _end(y, 3 * q)


def p_month(y, m):
    return f"{y}-{m:02d}", _end(y, m)


def p_day(y, m, d):
    return f"{y}-{m:02d}-{d:02d}", y * 10000 + m * 100 + d


def p_range(start, end):
    return f"{start[0]}/{end[0]}", end[1]


def p_fiscal(y, q, year_end_month):
    """FY<y> (q=0) or FY<y>Q<q>; the end is the calendar end of the fiscal period."""
    month = year_end_month if q == 0 else 3 * q - (12 - year_end_month)
    year = y if month > 0 else y - 1
    month = month if month > 0 else month + 12
    return (f"FY{y}" if q == 0 else f"FY{y}Q{q}"), _end(year, month)


NO_PERIOD = ("", 0)


# --- numbers ----------------------------------------------------------------------------------


def num(value: float, decimals: int) -> str:
    text = f"{value:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def sci(value: float, digits: int = 3) -> str:
    """A plain number in e-notation as the docs print it: 3.14e11, not 3.14e+11."""
    return f"{value:.{digits - 1}e}".replace("e+", "e")


def auto_decimals(value: float) -> int:
    size = abs(value)
    return 0 if size >= 1000 else 1 if size >= 10 else 2 if size >= 0.1 else 3


# --- vocabulary used here (checked against dbt/seeds on first use) ----------------------------

# market: (currency, size in 2020 in 亿 of the currency, annual growth)
MARKETS = {
    "global_public_cloud": ("USD", 2700, 0.22),
    "global_public_cloud_iaas": ("USD", 640, 0.30),
    "global_public_cloud_paas": ("USD", 600, 0.28),
    "global_public_cloud_saas": ("USD", 1230, 0.17),
    "global_hpc": ("USD", 340, 0.07),
    "china_public_cloud": ("CNY", 1800, 0.30),
    "china_public_cloud_iaas": ("CNY", 1000, 0.33),
    "china_public_cloud_paas": ("CNY", 100, 0.45),
    "china_public_cloud_iaas_paas": ("CNY", 1100, 0.32),
    "china_public_cloud_internet": ("CNY", 950, 0.25),
    "china_public_cloud_manufacturing": ("CNY", 160, 0.30),
    "china_public_cloud_healthcare": ("CNY", 60, 0.28),
    "china_public_cloud_energy": ("CNY", 45, 0.27),
    "china_ai_public_cloud": ("CNY", 30, 0.45),
    "china_ai_cloud": ("CNY", 120, 0.30),
    "china_cloud_software_spending": ("USD", 190, 0.27),
    "china_enterprise_saas": ("CNY", 560, 0.30),
    "china_general_saas": ("CNY", 290, 0.30),
    "china_general_saas_business_management": ("CNY", 120, 0.27),
    "china_general_saas_business_growth": ("CNY", 105, 0.33),
    "china_hcm_saas": ("USD", 9, 0.40),
    "china_vertical_saas": ("CNY", 245, 0.35),
    "china_vertical_saas_healthcare": ("CNY", 34, 0.45),
    "low_code_no_code": ("CNY", 35, 0.45),
    "hpapaas": ("CNY", 25, 0.50),
}
MARKET_PARENT = {
    "global_public_cloud_iaas": "global_public_cloud",
    "global_public_cloud_paas": "global_public_cloud",
    "global_public_cloud_saas": "global_public_cloud",
    "china_public_cloud_iaas": "china_public_cloud",
    "china_public_cloud_paas": "china_public_cloud",
    "china_public_cloud_internet": "china_public_cloud",
    "china_general_saas": "china_enterprise_saas",
    "china_vertical_saas": "china_enterprise_saas",
    "china_vertical_saas_healthcare": "china_vertical_saas",
    "china_hcm_saas": "china_general_saas",
}
SHARE_MARKETS = {  # market -> vendors (and vendor groups) whose shares of it reports print
    "china_public_cloud": (
        "alibaba_cloud",
        "huawei_cloud",
        "tencent",
        "china_telecom",
        "china_mobile",
        "china_unicom",
        "baidu",
        "telecom_operators",
    ),
    "china_public_cloud_iaas": (
        "alibaba_cloud",
        "huawei_cloud",
        "tencent",
        "china_telecom",
        "china_mobile",
        "aws",
        "baidu",
    ),
    "china_public_cloud_iaas_paas": (
        "alibaba_cloud",
        "huawei_cloud",
        "china_telecom",
        "tencent",
        "china_mobile",
        "baidu",
        "china_unicom",
    ),
    "china_ai_cloud": ("alibaba_cloud", "baidu", "huawei_cloud", "tencent", "china_mobile"),
    "china_ai_public_cloud": ("baidu", "alibaba_cloud", "huawei_cloud", "tencent", "sensetime"),
    "global_public_cloud_iaas": (
        "aws",
        "microsoft_intelligent_cloud",
        "alibaba_cloud",
        "google_cloud",
        "huawei_cloud",
        "tencent",
        "global_iaas_top3",
        "china_vendors_global_iaas",
    ),
    "global_public_cloud": ("aws", "microsoft_cloud", "google_cloud", "alibaba_cloud", "salesforce"),
    "china_enterprise_saas": ("kingdee", "yonyou", "salesforce", "tencent", "sap", "china_saas_vendors"),
    "china_hcm_saas": ("kingdee", "yonyou", "sap", "tencent"),
}
SAAS_MARKETS = ("china_enterprise_saas", "china_enterprise_saas", "china_hcm_saas", "china_general_saas")
SAAS_VENDORS = ("kingdee", "yonyou", "salesforce", "tencent", "sap", "alibaba", "microsoft")
# company: (currency, revenue in 2020 in 亿, growth, operating margin, gross margin)
COMPANIES = {
    "aws": ("USD", 454, 0.22, 0.28, 0.60),
    "microsoft_intelligent_cloud": ("USD", 480, 0.20, 0.42, 0.70),
    "microsoft_cloud": ("USD", 600, 0.22, 0.40, 0.70),
    "google_cloud": ("USD", 130, 0.33, -0.05, 0.45),
    "salesforce": ("USD", 212, 0.18, 0.03, 0.74),
    "sap": ("USD", 300, 0.05, 0.20, 0.70),
    "shopify": ("USD", 29, 0.45, 0.06, 0.52),
    "alibaba_cloud": ("CNY", 600, 0.25, 0.02, 0.35),
    "huawei_cloud": ("CNY", 200, 0.35, 0.05, 0.40),
    "tencent": ("CNY", 4820, 0.10, 0.25, 0.45),
    "baidu": ("CNY", 1070, 0.05, 0.15, 0.50),
    "kingdee": ("CNY", 33, 0.12, -0.08, 0.65),
    "yonyou": ("CNY", 85, 0.07, 0.06, 0.52),
    "openai": ("USD", 0.3, 1.80, -1.50, 0.50),
}
ARR_COMPANIES = ("shopify", "salesforce", "openai")
GROWTH_ONLY = ("telecom_operators", "china_saas_vendors", "global_iaas_top3", "emcloud_index")
REGIONS_COMPUTE = {"china": (75.0, 0.50), "overseas": (160.0, 0.35)}  # EFLOPS in 2020, growth
COMPUTE_PROJECTS = (
    "shijingshan_ai_compute_center",
    "zhongyuan_ai_computing_center_phase2",
    "zhangbei_icc",
    "ulanqab_icc",
    "gds_shaoguan_compute_cluster",
    "tianhao_big_data_center_phase1",
)
ACCELERATED_PRODUCTS = ("aws_hpc6a", "huawei_cloud_ai1", "alibaba_cloud_feitian_icp", "sensecore")
TOKEN_ENTITIES = {
    "google": 4.0,
    "alibaba_cloud": 0.8,
    "openai": 3.5,
    "microsoft": 2.5,
    "baidu": 0.5,
    "tencent": 0.4,
    "huawei_cloud": 0.25,
}  # 万亿 tokens a day in 2024-01
# model: (parameters in 亿 or None, release (y, m, d), pretraining data (value, unit) or None)
MODELS = {
    "gpt_1": (1.17, (2018, 6, 11), (5, "GB")),
    "gpt_2": (15, (2019, 2, 14), (40, "GB")),
    "gpt_3": (1750, (2020, 5, 28), (45, "TB")),
    "gpt_3_xl": (13, (2020, 5, 28), None),
    "gpt_3_5": (1750, (2022, 3, 15), None),
    "chatgpt": (1000, (2022, 11, 30), (100, "TB")),
    "gpt_4": (18000, (2023, 3, 14), None),
    "gpt_4o": (None, (2024, 5, 13), None),
    "openai_o1_series": (None, (2024, 9, 12), None),
    "sora": (None, (2024, 2, 15), None),
    "palm_e": (5620, (2023, 3, 6), None),
    "bard": (1370, (2023, 2, 6), None),
    "llama": (650, (2023, 2, 24), (4.7, "TB")),
    "ernie_bot": (2600, (2023, 3, 16), None),
}
TRAINING_COMPUTE = {"gpt_3": 3640, "gpt_3_xl": 27.5, "gpt_2": 20, "gpt_4": 250000}  # PFLOP/s-day
TRAINING_COST = {"gpt_3": 460, "gpt_4": 7800, "palm_e": 1200, "llama": 240}  # 万美元
DC_PROJECTS = (
    "shijingshan_ai_compute_center",
    "hebei_mobile_baoding_dc",
    "zhongyuan_ai_computing_center_phase2",
    "tianhao_big_data_center_phase1",
    "hebei_hengzhi_yuntong_dc",
    "gds_shaoguan_compute_cluster",
    "china_mobile_beijing_dabailou_dc",
    "china_mobile_dc_distributed_pv_project",
    "abc_hq_datacenter",
    "keppel_dc_shanghai_qingpu",
    "zhangbei_icc",
    "ulanqab_icc",
)
OPERATORS = {"china_mobile": 500.0, "china_telecom": 580.0, "china_unicom": 360.0}  # 亿元 in 2022
IT_SEGMENTS = {
    "data_center_systems": (200000, 0.05),
    "software": (730000, 0.09),
    "devices": (800000, 0.01),
    "it_services": (1190000, 0.05),
    "communications_services": (1400000, 0.01),
}  # USD million 2021

# metrics.csv: (metric, entities, unit, low, high, decimals, period kind)
ONE_OFF = (
    (
        "server_useful_life_after",
        ("google", "microsoft", "amazon", "meta", "alibaba", "baidu"),
        "years",
        5,
        6,
        0,
        "month",
    ),
    ("server_useful_life_before", ("google", "microsoft", "amazon", "meta"), "years", 3, 5, 0, "month"),
    ("network_equipment_useful_life_after", ("amazon", "google"), "years", 5, 6, 0, "month"),
    ("depreciation_reduction", ("google", "microsoft", "amazon", "meta"), "亿美元", 10, 60, 0, "year"),
    ("market_cap", ("emcloud_index",), "万亿美元", 0.8, 2.9, 1, "month"),
    ("yoy_growth", ("emcloud_index",), "percent", 8, 45, 0, "year"),
    ("gross_margin", ("emcloud_index",), "percent", 65, 78, 0, "year"),
    ("visits", ("chat_openai_com", "openai_com"), "万", 800, 160000, 0, "month"),
    ("mom_growth", ("chat_openai_com", "openai_com"), "percent", -15, 130, 1, "month"),
    ("global_rank", ("chat_openai_com", "openai_com"), "rank", 5, 2000, 0, "month"),
    (
        "market_rank_china_public_cloud_iaas_paas",
        ("china_telecom", "china_mobile", "china_unicom", "huawei_cloud", "tencent", "alibaba_cloud"),
        "rank",
        1,
        8,
        0,
        "quarter",
    ),
    (
        "new_it_systems_cloudified_share",
        ("china_telecom", "china_mobile", "china_unicom"),
        "percent",
        70,
        100,
        0,
        "range",
    ),
    (
        "existing_it_systems_cloudified_share",
        ("china_telecom", "china_mobile", "china_unicom"),
        "percent",
        40,
        99,
        0,
        "range",
    ),
    ("self_developed_products", ("china_mobile", "china_telecom", "china_unicom"), "count", 80, 300, 0, "range"),
    ("self_developed_core_components", ("china_unicom", "china_telecom"), "count", 100, 260, 0, "range"),
    ("kpi_share_at_industry_advanced_level", ("china_unicom", "china_mobile"), "percent", 50, 90, 0, "range"),
    ("cloud_deployment_ratio", ("internet_information_services",), "percent", 50, 80, 0, "year"),
    ("languages_supported", ("google_translation_hub",), "count", 100, 140, 0, "none"),
    ("algorithm_models_released", ("sensecore",), "count", 1000, 5000, 0, "none"),
    ("ai_capex_cycle_start", ("china", "overseas"), "year", 0, 0, 0, "capex"),
    ("capex_to_token_lag", ("overseas", "china"), "years", 1, 3, 0, "range"),
    ("model_capability_lag_vs_overseas_low", ("china",), "years", 0.5, 1, 1, "none"),
    ("model_capability_lag_vs_overseas_high", ("china",), "years", 1, 2, 1, "none"),
    ("cities_building_icc", ("china",), "count", 20, 45, 0, "year"),
    ("national_compute_hub_nodes", ("china",), "count", 8, 8, 0, "year"),
    ("national_datacenter_clusters_planned", ("china",), "count", 10, 10, 0, "year"),
    ("super_scale_icc_count", ("china",), "count", 2, 12, 0, "year"),
    ("share_of_new_applications", ("low_code_no_code",), "percent", 50, 75, 0, "year"),
    ("share_of_business_apps_by_non_professional_developers", ("low_code_no_code",), "percent", 30, 80, 0, "year"),
    ("apps_total", ("dingtalk",), "万", 500, 1500, 0, "month"),
    ("apps_built_low_code", ("dingtalk",), "万", 200, 900, 0, "month"),
    ("price_performance_gain_vs_x86", ("aws_hpc6a",), "percent", 20, 65, 0, "none"),
    ("roi_three_year", ("power_automate",), "percent", 150, 350, 0, "none"),
    ("frontline_productivity_gain", ("dingtalk",), "percent", 10, 40, 0, "none"),
    ("dev_environment_startup_time", ("alibaba_cloud_feitian_icp",), "minutes", 1, 15, 0, "none"),
    ("model_production_time", ("sensecore",), "days", 3, 30, 0, "none"),
)
DC_ATTRIBUTES = (  # metric, unit, low, high, decimals, qualifier weight of approx/lower_bound
    ("cabinets", "count", 1000, 12000, 0),
    ("standard_cabinets", "count", 1000, 8000, 0),
    ("power_per_cabinet", "kW", 4.4, 12, 1),
    ("investment", "亿元", 10, 150, 1),
    ("land_area", "亩", 10, 300, 2),
    ("gross_floor_area", "万平方米", 2, 25, 1),
    ("site_area", "平方米", 5000, 90000, 0),
    ("racks", "count", 1000, 9000, 0),
    ("power_per_rack", "kW", 5, 20, 0),
    ("rack_servers", "count", 10000, 80000, 0),
    ("server_capacity", "万", 1, 10, 0),
    ("it_load_capacity", "kW", 5000, 90000, 0),
    ("investment_phase1", "亿元", 5, 60, 0),
    ("datacenter_buildings", "count", 1, 8, 0),
    ("substations_110kv", "count", 1, 3, 0),
    ("standard_coal_saved", "吨", 500, 5000, 0),
    ("co2_reduction", "万吨", 0.5, 3, 1),
    ("pv_grid_connected_capacity", "kW", 100, 2000, 1),
)

CREDITS_ZH = (
    "IDC",
    "Gartner",
    "中国信通院",
    "公司公告",
    "艾瑞咨询",
    "Omdia",
    "Canalys",
    "公司官网",
    "工信部",
    "Wind",
    "IDC圈",
)
CREDITS_EN = ("IDC", "Gartner", "Canalys", "Omdia", "Synergy Research", "company filings", "company website")
PUBLISHERS_ZH = (
    ("西南证券", "Southwest Securities"),
    ("长江证券", "Changjiang Securities"),
    ("中信证券", "CITIC Securities"),
    ("华泰证券", "Huatai Securities"),
    ("中金公司", "CICC"),
    ("国泰君安", "Guotai Junan Securities"),
    ("招商证券", "China Merchants Securities"),
    ("天风证券", "Tianfeng Securities"),
    ("中国信通院", "CAICT"),
)
PUBLISHERS_EN = ("IDC", "Gartner", "Canalys", "Omdia", "Synergy Research Group")
TOPICS = (
    ("云计算", "cloud computing"),
    ("AI算力", "AI compute"),
    ("大模型", "large language models"),
    ("SaaS", "SaaS"),
    ("数据中心", "data centres"),
    ("公有云", "public cloud"),
    ("Token经济", "the token economy"),
)
KINDS = (
    ("深度报告", "in-depth report"),
    ("专题研究", "thematic study"),
    ("跟踪报告", "tracker"),
    ("年度展望", "annual outlook"),
)
SUBTITLES = (
    ("算力需求持续高增", "compute demand keeps rising"),
    ("格局重塑，龙头受益", "the market reshuffles, leaders gain"),
    ("国产替代加速", "domestic substitution speeds up"),
    ("从训练到推理", "from training to inference"),
    ("AI驱动云收入再加速", "AI re-accelerates cloud revenue"),
    ("出海与降本", "going global and cutting costs"),
)
NOTES_ZH = (
    "图表数据，按数据标签读取",
    "年份按上下文判断",
    "口径与前文不同，按原文保留",
    "正文与图表数值不一致，取正文",
    "数据来源行另列{credit}",
    "含税口径",
)
NOTES_EN = (
    "read from the chart's data label",
    "year taken from the chart title",
    "definition differs from the previous slide; kept as printed",
    "text and chart disagree; text kept",
    "slide credit also lists {credit}",
    "includes tax",
)

# Ids and units the generators below spell out in code.
OTHER_METRICS = (
    "market_size",
    "cagr",
    "yoy_growth",
    "share_of_parent",
    "market_share",
    "revenue",
    "operating_profit",
    "operating_margin",
    "gross_margin",
    "operating_margin_change",
    "arr",
    "intelligent_compute_capacity",
    "compute_capacity",
    "compute_capacity_phase1",
    "fp16_performance",
    "int8_performance",
    "memory_per_processor",
    "memory_bandwidth",
    "largest_ml_cluster_gpus",
    "cluster_network_bandwidth",
    "tokens_processed",
    "tokens_processed_daily",
    "release",
    "model_parameters",
    "pretraining_data",
    "training_compute",
    "training_cost",
    "max_video_length",
    "models_in_series",
    "completion",
    "service_start",
)
OTHER_UNITS = (
    "亿元",
    "CNY 100 million",
    "亿美元",
    "USD billion",
    "USD million",
    "万美元",
    "percent",
    "pp",
    "EFLOPS",
    "PFLOPS",
    "TFLOPS",
    "TOPS",
    "GB",
    "TB",
    "GB/s",
    "Gbps",
    "count",
    "万亿tokens",
    "trillion tokens",
    "tokens",
    "year",
    "亿",
    "PFLOP/s-day",
    "s",
    "百万美元",
    "TFLOP",
    "days",
    "ms",
)

_checked = False


def fiscal_year_end(entity: str) -> int | None:
    """The month an entity's fiscal year ends in (dbt/seeds/entities.csv), None for calendar years."""
    month = int(vocabulary.entities().get(entity, {}).get("fiscal_year_end_month") or 12)
    return None if month == 12 else month


def check_vocabulary() -> None:
    """Fail loudly when an id or unit used here is no longer in dbt/seeds."""
    global _checked
    if _checked:
        return
    entities, metrics, units = vocabulary.entities(), vocabulary.metrics(), vocabulary.units()
    used_entities = {
        *MARKETS,
        *MARKET_PARENT.values(),
        *COMPANIES,
        *GROWTH_ONLY,
        *REGIONS_COMPUTE,
        *COMPUTE_PROJECTS,
        *ACCELERATED_PRODUCTS,
        *TOKEN_ENTITIES,
        *MODELS,
        *DC_PROJECTS,
        *OPERATORS,
        *IT_SEGMENTS,
        *SAAS_MARKETS,
        *SAAS_VENDORS,
        *(v for vs in SHARE_MARKETS.values() for v in vs),
        *(e for row in ONE_OFF for e in row[1]),
    }
    used_metrics = {row[0] for row in ONE_OFF} | {row[0] for row in DC_ATTRIBUTES} | set(OTHER_METRICS)
    used_units = {row[2] for row in ONE_OFF} | {row[1] for row in DC_ATTRIBUTES} | set(OTHER_UNITS)
    missing = (
        sorted(used_entities - set(entities)) + sorted(used_metrics - set(metrics)) + sorted(used_units - set(units))
    )
    if missing:
        raise RuntimeError(f"benchmarks/synthetic.py uses ids or units missing from dbt/seeds: {missing}")
    _checked = True


# --- one package --------------------------------------------------------------------------------


class Package:
    """The state of one package being written: its RNG, date, language, credits and rows."""

    def __init__(self, seed: int, number: int):
        self.seed, self.number = seed, number
        self.rng = Rng(f"{seed}:{number}")
        self.anchor = number % ANCHOR_EVERY == 0
        r = self.rng
        self.year = r.between(2024, 2026) if self.anchor else r.between(2018, 2026)
        self.month, self.day = r.between(1, 12), r.between(1, 28)
        self.has_day = r.chance(0.5)
        if (self.year, self.month) > LATEST_PUBLISHED:  # the package rules refuse reports from the future
            self.year, self.month = LATEST_PUBLISHED
        self.pub = self.year * 10000 + self.month * 100 + (self.day if self.has_day else 28)
        self.published_on = self.year * 10000 + self.month * 100 + (self.day if self.has_day else 1)
        self.zh = r.chance(0.8)
        self.credits = r.sample(CREDITS_ZH if self.zh else CREDITS_EN, r.between(2, 3))
        self.page = r.between(2, 6)
        self.rows: dict[str, list[list[str]]] = {}
        self.keys: dict[str, set] = {}
        self.series: set = set()
        self.subject_lists: dict[str, tuple[list, list]] = {}
        self.noises: dict[str, float] = {}

    # what the report is about: a few markets, companies, projects per table, widened on demand
    def subjects(self, name: str, pool, low: int, high: int) -> list:
        if name not in self.subject_lists:
            order = self.rng.sample(pool, len(pool))
            size = min(len(order), self.rng.between(low, high))
            self.subject_lists[name] = (order[:size], order[size:])
        return self.subject_lists[name][0]

    def noise(self, key: str, spread: float = 0.03) -> float:
        """This report's deviation (+-3 %) from the truth for one series, the same for every use of it."""
        if key not in self.noises:
            self.noises[key] = self.rng.uniform(1 - spread, 1 + spread)
        return self.noises[key]

    def unused(self, table: str, name: str, prefix: str) -> list:
        """Subjects of a list without a series yet (marked (table, prefix + id)), widening the list if need be."""
        while True:
            free = [s for s in self.subject_lists[name][0] if (table, prefix + s) not in self.series]
            if free or not self.widen(table):
                return free

    def widen(self, table: str) -> bool:
        """One more subject for every list of this table; False when none is left."""
        widened = False
        for name, (chosen, rest) in self.subject_lists.items():
            if name.startswith(f"{table}:") and rest:
                chosen.append(rest.pop(0))
                widened = True
        return widened

    # provenance
    def ref(self) -> str:
        self.page += self.rng.below(3)
        if self.rng.chance(0.15):
            return f"p. {self.page}; p. {self.page + 1 + self.rng.below(4)}"
        return f"p. {self.page}"

    def credit(self, preferred=()) -> str:
        x = self.rng.random()
        if x < 0.22:
            return ""
        first = self.rng.pick(preferred) if preferred and x < 0.5 else self.rng.pick(self.credits)
        if x > 0.88:
            second = self.rng.pick(self.credits)
            if second != first:
                return f"{first}; {second}"
        return first

    def note(self, value: str, unit: str, qualifier: str, period: str, status: str) -> str:
        r = self.rng
        unit = "%" if unit == "percent" else unit
        if not period:
            return "period not stated" if not self.zh or r.chance(0.5) else "未注明时期 (period not stated)"
        if qualifier == "approx" and r.chance(0.5):
            return f"printed 约{value}{unit}"
        if qualifier == "lower_bound" and r.chance(0.5):
            return f"printed 超过{value}{unit}"
        if qualifier == "upper_bound" and r.chance(0.5):
            return f"printed 不到{value}{unit}"
        if status == "forecast" and r.chance(0.1):
            return "预计" if self.zh else "forecast (expected)"
        if r.chance(0.06):
            return r.pick(NOTES_ZH if self.zh else NOTES_EN).format(credit=r.pick(self.credits))
        return ""

    def status(self, end: int, undated_forecast: float = 0.2) -> str:
        if end == 0:
            return "forecast" if self.rng.chance(undated_forecast) else "actual"
        return "forecast" if end > self.pub else "actual"

    def qualifier(self, countable: bool = False) -> str:
        x = self.rng.random()
        if x < 0.84:
            return "exact"
        if x < 0.93:
            return "approx"
        if x < 0.975:
            return "lower_bound"
        if x < 0.995 or not countable:
            return "upper_bound"
        return "order_of_magnitude"

    # rows
    def add(self, table: str, row: dict[str, str]) -> bool:
        """One row, by column name; columns it leaves out are empty. False on a repeated key."""
        return self.claim(table, row) and self.write(table, row)

    def claim(self, table: str, row: dict[str, str]) -> bool:
        """Reserve the row's key in its table; False when the key is taken."""
        key = tuple(row[c] for c in TABLES_BY_NAME[table].key)
        seen = self.keys.setdefault(table, set())
        if key in seen:
            return False
        seen.add(key)
        return True

    def write(self, table: str, row: dict[str, str]) -> bool:
        # Chosen by position, not by the rng, so every other figure stays as it was.
        if (self.number + len(self.rows.get(table, ()))) % DERIVED_EVERY == DERIVED_EVERY - 1:
            row = {**row, "derived": DERIVED_REASON}
        self.rows.setdefault(table, []).append([row.get(c, "") for c in TABLES_BY_NAME[table].columns])
        return True

    def fact(
        self,
        table: str,
        lead: dict[str, str],
        period,
        value: str,
        unit: str,
        *,
        yoy: str = "",
        qualifier: str | None = None,
        status: str | None = None,
        credit=(),
        countable=False,
    ) -> bool:
        """One row of a long fact table; lead holds its lead columns. False on a repeated key."""
        text, end = period
        row = {**lead, "period": text}
        if not self.claim(table, row):
            return False
        qualifier = qualifier or ("exact" if value.startswith("-") else self.qualifier(countable))
        status = status or self.status(end)
        if status == "actual" and text and int(bounds(text)[0].strftime("%Y%m%d")) > self.published_on:
            status = "forecast"  # an actual figure cannot be for a period that starts after publication
        row |= {
            "value": value,
            "unit": unit,
            "qualifier": qualifier,
            "status": status,
            "stated_yoy_pct": yoy if qualifier == "exact" or qualifier == "approx" else "",
        }
        row |= {"credited_source": self.credit(credit), "ref": self.ref()}
        row["note"] = self.note(value, unit, qualifier, text, status)
        return self.write(table, row)

    def count(self, table: str) -> int:
        return len(self.rows.get(table, ()))

    def years_around(self, before: int, after: int) -> int:
        return self.year + self.rng.between(-before, after)


_truth: dict[tuple, object] = {}


def truth_noise(seed: int, *key) -> float:
    """A stable deviation (about +-15 %) of one entity from its listed base, shared by all reports."""
    k = (seed, *key)
    if k not in _truth:
        _truth[k] = Rng(f"{seed}:truth:{':'.join(map(str, key))}").uniform(0.85, 1.15)
    return _truth[k]


def truth_value(seed: int, *key, low: float, high: float) -> float:
    k = (seed, "value", *key)
    if k not in _truth:
        _truth[k] = Rng(f"{seed}:truth:{':'.join(map(str, key))}").uniform(low, high)
    return _truth[k]


def level_series(
    p: Package,
    table: str,
    lead: dict,
    metric_key: str,
    periods: list,
    values: list[float],
    unit: str,
    scale: float,
    decimals: int,
    growth: float | None,
    credit=(),
) -> int:
    """Consecutive periods of one level; stated growth is recomputed from the printed values."""
    if (table, metric_key) in p.series:
        return 0
    p.series.add((table, metric_key))
    noise = p.noise(metric_key)
    printed = [num(v * noise / scale, decimals) for v in values]
    added, previous, previous_year = 0, None, None
    with_growth = growth is not None and p.rng.chance(0.6)
    for (period, end), text in zip(periods, printed, strict=True):
        year = int(period.removeprefix("FY")[:4])
        yoy = ""
        if with_growth:
            if previous_year == year - 1 and float(previous) > 0:  # the prior period is printed: recompute
                yoy = num((float(text) / float(previous) - 1) * 100, 1)
            else:
                yoy = num(growth * 100 + p.rng.uniform(-1, 1), 1)
        qualifier = "exact" if with_growth else None
        added += p.fact(table, lead, (period, end), text, unit, yoy=yoy, qualifier=qualifier, credit=credit)
        previous, previous_year = text, year
    return added


def year_span(p: Package, length: int, lag: int = 3) -> list[int]:
    start = p.year - p.rng.between(1, lag)
    return list(range(start, start + length))


# --- the long fact tables ------------------------------------------------------------------------


def gen_market_size(p: Package) -> int:
    r, seed = p.rng, p.seed
    kind = r.weighted((("series", 5), ("cagr", 2), ("growth", 1), ("share", 2)))
    markets = p.subjects("market_size:markets", list(MARKETS), 3, 8)
    if kind == "series":  # one size series per market and report
        markets = p.unused("market_size", "market_size:markets", "ms:") or markets
    market = r.pick(markets)
    currency, base, growth = MARKETS[market]
    base *= truth_noise(seed, "market", market)
    if kind == "share" and market not in MARKET_PARENT:
        kind = "series"
    if kind == "series":
        years = year_span(p, r.between(1, 4))
        if r.chance(0.3):
            years.append(p.year + r.between(2, 5))
        unit, scale = ("亿元", 1.0) if currency == "CNY" else r.pick((("亿美元", 1.0), ("USD billion", 10.0)))
        if not p.zh and currency == "CNY":
            unit = "CNY 100 million"
        values = [base * (1 + growth) ** (y - 2020) for y in years]
        periods = [p_year(y) for y in years]
        if currency == "CNY" and r.chance(0.3):  # a half-year tracker: the same half of consecutive years
            half = r.between(1, 2)
            years = [y for y in years if _end(y, 6 * half) <= p.pub] or [p.year - 1]
            periods = [p_half(y, half) for y in years]
            values = [base * (1 + growth) ** (y - 2020) * (0.46 if half == 1 else 0.54) for y in years]
        decimals = auto_decimals(min(values) / scale)
        return level_series(
            p,
            "market_size",
            {"market": market, "metric": "market_size"},
            f"ms:{market}",
            periods,
            values,
            unit,
            scale,
            decimals,
            growth,
        )
    if kind == "cagr":
        start = p.year - r.between(0, 3)
        period = p_range(p_year(start), p_year(start + r.between(3, 6)))
        value = num(growth * 100 * (1 if r.chance(0.85) else r.uniform(0.9, 1.1)), 1)  # some from another source
        return p.fact("market_size", {"market": market, "metric": "cagr"}, period, value, "percent")
    if kind == "growth":
        year = p.years_around(2, 1)
        value = num(growth * 100 * r.uniform(0.8, 1.2), 1)
        return p.fact("market_size", {"market": market, "metric": "yoy_growth"}, p_year(year), value, "percent")
    parent = MARKET_PARENT[market]
    _, parent_base, parent_growth = MARKETS[parent]
    year = p.years_around(2, 0)
    parent_base *= truth_noise(seed, "market", parent)
    share = (
        base
        * p.noise(f"ms:{market}")
        * (1 + growth) ** (year - 2020)
        / (parent_base * p.noise(f"ms:{parent}") * (1 + parent_growth) ** (year - 2020))
    )
    value = num(min(95.0, share * 100), 1)
    return p.fact("market_size", {"market": market, "metric": "share_of_parent"}, p_year(year), value, "percent")


def share_period(p: Package):
    r = p.rng
    form = r.weighted((("year", 4), ("half", 2), ("quarter", 3), ("none", 1)))
    year = p.year - r.between(0, 2)
    if form == "none":
        return NO_PERIOD
    if form == "year":
        return p_year(year - 1 if year == p.year else year)
    if form == "half":
        return p_half(year - 1 if year == p.year else year, r.between(1, 2))
    quarter = r.between(1, 4)
    if year == p.year and 3 * quarter >= p.month:
        year -= 1
    return p_quarter(year, quarter)


def share_group(p: Package, vendors: tuple, market: str) -> list[tuple[str, float]]:
    """Shares of a few vendors of one market, adding up to at most 95 %."""
    r = p.rng
    chosen = r.sample(vendors, r.between(2, min(6, len(vendors))))
    # the vendor lists run from the market leader down, so earlier vendors weigh more
    raw = [
        truth_value(p.seed, "share", market, v, low=0.5, high=1.0) / (1 + 0.5 * vendors.index(v)) * r.uniform(0.9, 1.1)
        for v in chosen
    ]
    covered = r.uniform(0.35, 0.95)
    total = sum(raw)
    shares = [(v, x / total * covered * 100) for v, x in zip(chosen, raw, strict=True)]
    return sorted(shares, key=lambda pair: -pair[1])


def gen_vendor_share(p: Package) -> int:
    market = p.rng.pick(p.subjects("vendor_share:markets", list(SHARE_MARKETS), 1, 3))
    period = share_period(p)
    if ("vs", market, period[0]) in p.series:
        return 0
    p.series.add(("vs", market, period[0]))
    added = 0
    for vendor, share in share_group(p, SHARE_MARKETS[market], market):
        value = num(max(share, 0.1) - 0.05, 1)  # rounded down a little so the printed sum stays below 95.x
        added += p.fact(
            "vendor_share",
            {"market": market, "vendor": vendor},
            period,
            value,
            "percent",
            qualifier=p.rng.weighted((("exact", 9), ("approx", 1))),
            status="actual",
        )
    return added


def company_periods(p: Package, company: str) -> list:
    r = p.rng
    fiscal = fiscal_year_end(company)
    if r.chance(0.6):
        years = year_span(p, r.between(1, 3))
        if fiscal and r.chance(0.6):
            return [p_fiscal(y, 0, fiscal) for y in years]
        return [p_year(y) for y in years]
    year, quarter = p.year - 1, r.between(1, 4)
    if fiscal:
        return [p_fiscal(year + 1, quarter, fiscal)]
    return [p_quarter(year, quarter)]


def gen_vendor_financials(p: Package) -> int:
    r, seed = p.rng, p.seed
    kind = r.weighted((("revenue", 5), ("profit", 3), ("growth", 2), ("arr", 1), ("margin_change", 1)))
    companies = p.subjects("vendor_financials:companies", list(COMPANIES), 2, 5)
    arr_companies = [c for c in companies if c in ARR_COMPANIES]
    if kind == "arr" and not arr_companies:
        kind = "revenue"
    if kind == "growth":
        entity = r.pick(GROWTH_ONLY) if r.chance(0.3) else r.pick(companies)
        period = p_year(p.years_around(3, 0))
        value = num(r.uniform(-5, 60) if entity in COMPANIES else r.uniform(5, 110), 1)
        return p.fact("vendor_financials", {"company": entity, "metric": "yoy_growth"}, period, value, "percent")
    if kind == "arr":
        company = r.pick(arr_companies)
        currency, base, growth, _, _ = COMPANIES[company]
        year = p.years_around(4, 0)
        usd_100m = base * truth_noise(seed, "company", company) * (1 + growth) ** (year - 2020) * 1.1
        unit, value = ("万美元", usd_100m * 10000) if usd_100m < 1 else ("亿美元", usd_100m)
        return p.fact(
            "vendor_financials",
            {"company": company, "metric": "arr"},
            p_year(year),
            num(value, auto_decimals(value)),
            unit,
            credit=("公司公告", "Bessemer"),
        )
    if kind in ("revenue", "profit"):  # one revenue series per company and report
        companies = p.unused("vendor_financials", "vendor_financials:companies", "rev:") or companies
    company = r.pick(companies)
    currency, base, growth, margin, gross = COMPANIES[company]
    base *= truth_noise(seed, "company", company)
    unit, scale = (
        ("亿元", 1.0) if currency == "CNY" else r.pick((("亿美元", 1.0), ("USD billion", 10.0), ("USD million", 0.01)))
    )
    if kind == "margin_change":
        start = p.year - r.between(2, 3)
        period = p_range(p_year(start), p_year(start + 1))
        first, last = (p.noise(f"margin:{company}:{y}", 0.15) * margin * 100 for y in (start, start + 1))
        value = num(last - first, 1)  # agrees with the margins this report prints for those years, if any
        return p.fact(
            "vendor_financials",
            {"company": company, "metric": "operating_margin_change"},
            period,
            value,
            "pp",
            qualifier="exact",
            credit=("公司公告",),
        )
    periods = company_periods(p, company)
    quarterly = "Q" in periods[0][0]
    years = [int(t[0].removeprefix("FY")[:4]) for t in periods]
    values = [base * (1 + growth) ** (y - 2020) / (4 if quarterly else 1) for y in years]
    decimals = auto_decimals(min(values) / scale)
    if kind == "revenue":
        return level_series(
            p,
            "vendor_financials",
            {"company": company, "metric": "revenue"},
            f"rev:{company}",
            periods,
            values,
            unit,
            scale,
            decimals,
            None if quarterly else growth,
            credit=("公司公告",),
        )
    if ("vendor_financials", f"rev:{company}") in p.series:  # one revenue series per company and report
        return 0
    p.series.add(("vendor_financials", f"rev:{company}"))
    added = 0
    for period, revenue in zip(periods, values, strict=True):
        m = margin * p.noise(f"margin:{company}:{period[0].removeprefix('FY')[:4]}", 0.15)
        revenue_text = num(revenue / scale, decimals)
        if float(revenue_text) <= 0:
            continue
        profit_text = num(float(revenue_text) * m, decimals)
        margin_text = num(float(profit_text) / float(revenue_text) * 100, 1)
        lead = {"company": company}
        added += p.fact(
            "vendor_financials",
            {**lead, "metric": "revenue"},
            period,
            revenue_text,
            unit,
            qualifier="exact",
            credit=("公司公告",),
        )
        added += p.fact(
            "vendor_financials",
            {**lead, "metric": "operating_profit"},
            period,
            profit_text,
            unit,
            qualifier="exact",
            credit=("公司公告",),
        )
        added += p.fact(
            "vendor_financials",
            {**lead, "metric": "operating_margin"},
            period,
            margin_text,
            "percent",
            qualifier="exact",
            credit=("公司公告",),
        )
        if r.chance(0.3):
            added += p.fact(
                "vendor_financials",
                {**lead, "metric": "gross_margin"},
                period,
                num(gross * 100 * r.uniform(0.95, 1.05), 1),
                "percent",
                credit=("公司公告",),
            )
    return added


def gen_one_off(p: Package, table: str = "metrics") -> int:
    """A one-off figure (ONE_OFF) under a long table's lead columns: the metric, the entity, and
    for any other lead column an entity of the same figure. A table that fixes its metric gets
    figures of 1-10 in the metric's usual unit (dbt/seeds/metrics.csv unit_hint)."""
    r, spec = p.rng, TABLES_BY_NAME[table]
    metric, entities, unit, low, high, decimals, form = r.pick(p.subjects(f"{table}:one_off", ONE_OFF, 4, 10))
    if spec.metric:
        metric, unit, low, high, decimals = spec.metric, vocabulary.metrics()[spec.metric]["unit_hint"], 1, 10, 1
    entity = r.pick(entities)
    lead = {
        c: metric if c == "metric" else entity if c == spec.entity_column else r.pick(entities)
        for c in spec.key
        if c != "period"
    }
    value = num(r.uniform(low, high), decimals)
    if form == "none":
        period = NO_PERIOD if r.chance(0.5) else p_year(p.year - 1)  # undated, or as of the last year end
    elif form == "year":
        period = p_year(p.years_around(2, 0))
    elif form == "month":
        year = p.years_around(2, 0)
        period = p_month(year, r.between(1, p.month if year == p.year else 12))
    elif form == "quarter":
        period = p_quarter(p.year - 1, r.between(1, 4))
    elif form == "capex":
        year = 2023 if entity == "overseas" else 2024
        period, value = p_half(year, 2), str(year)
    else:  # a range of years
        start = p.year - r.between(1, 3)
        period = p_range(p_year(start), p_year(start + r.between(1, 2)))
    return p.fact(table, lead, period, value, unit, countable=unit in ("count", "万"))


def gen_compute_capacity(p: Package, force_region: bool = False) -> int:
    r, seed = p.rng, p.seed
    kind = "region" if force_region else r.weighted((("region", 3), ("cagr", 1), ("project", 3), ("product", 2)))
    if kind in ("region", "cagr"):
        region = "china" if force_region else r.pick(list(REGIONS_COMPUTE))
        base, growth = REGIONS_COMPUTE[region]
        base *= truth_noise(seed, "compute", region)
        if kind == "cagr":
            start = p.year - r.between(0, 3)
            period = p_range(p_year(start), p_year(start + 5))
            return p.fact(
                "compute_capacity",
                {"entity": region, "metric": "cagr"},
                period,
                num(growth * 100 * (1 if r.chance(0.85) else r.uniform(0.9, 1.1)), 1),
                "percent",
            )
        years = year_span(p, r.between(1, 3))
        if r.chance(0.4):
            years.append(p.year + r.between(2, 4))
        values = [base * (1 + growth) ** (y - 2020) for y in years]
        return level_series(
            p,
            "compute_capacity",
            {"entity": region, "metric": "intelligent_compute_capacity"},
            f"cc:{region}",
            [p_year(y) for y in years],
            values,
            "EFLOPS",
            1.0,
            1,
            growth,
        )
    if kind == "project":
        project = r.pick(p.subjects("compute_capacity:projects", COMPUTE_PROJECTS, 1, 2))
        pflops = truth_value(seed, "pflops", project, low=100, high=12000)
        metric = r.weighted((("compute_capacity", 3), ("compute_capacity_phase1", 1)))
        if metric == "compute_capacity_phase1":
            pflops *= 0.3
        unit, value = ("EFLOPS", pflops / 1000) if pflops >= 2000 and r.chance(0.7) else ("PFLOPS", pflops)
        period = NO_PERIOD if r.chance(0.5) else p_year(p.year - r.between(0, 1))  # capacity at a year end
        return p.fact(
            "compute_capacity", {"entity": project, "metric": metric}, period, num(value, 1 if value < 100 else 0), unit
        )
    product = r.pick(p.subjects("compute_capacity:products", ACCELERATED_PRODUCTS, 1, 2))
    metric, unit, low, high = r.pick(
        (
            ("fp16_performance", "TFLOPS", 60, 400),
            ("int8_performance", "TOPS", 120, 800),
            ("memory_per_processor", "GB", 16, 96),
            ("memory_bandwidth", "GB/s", 400, 3300),
            ("largest_ml_cluster_gpus", "count", 1000, 20000),
            ("cluster_network_bandwidth", "Gbps", 100, 3200),
        )
    )
    value = truth_value(seed, "product", product, metric, low=low, high=high)
    return p.fact(
        "compute_capacity",
        {"entity": product, "metric": metric},
        NO_PERIOD,
        num(value, 0),
        unit,
        status="actual",
        countable=unit == "count",
    )


def token_month(p: Package) -> tuple[int, int]:
    months_back = p.rng.between(0, 14)
    index = p.year * 12 + p.month - 1 - months_back
    year, month = divmod(index, 12)
    if year < 2023:
        year, month = 2023, p.rng.below(12)
    return year, month + 1


def gen_token_volume(p: Package, force_daily: bool = False) -> int:
    r, seed = p.rng, p.seed
    entity = "google" if force_daily else r.pick(p.subjects("token_volume:entities", list(TOKEN_ENTITIES), 1, 3))
    year, month = token_month(p)
    months = (year - 2024) * 12 + month - 1
    daily = TOKEN_ENTITIES[entity] * truth_noise(seed, "tokens", entity) * 1.12**months * r.uniform(0.97, 1.03)
    unit, scale = r.pick((("万亿tokens", 1.0), ("trillion tokens", 1.0), ("tokens", 1e-12)))
    if force_daily or r.chance(0.5):
        if r.chance(0.3) and not force_daily:
            period = p_day(year, month, r.between(1, 28))
        else:
            period = p_month(year, month)
        value = daily / scale
        return p.fact(
            "token_volume",
            {"entity": entity, "metric": "tokens_processed_daily"},
            period,
            num(value, 2) if scale == 1.0 else sci(value),
            unit,
            credit=("公司官网", "公司公告"),
        )
    value = daily * _month_days(year, month) / scale
    return p.fact(
        "token_volume",
        {"entity": entity, "metric": "tokens_processed"},
        p_month(year, month),
        num(value, 1) if scale == 1.0 else sci(value),
        unit,
        credit=("公司官网", "公司公告"),
    )


def gen_model_facts(p: Package) -> int:
    r = p.rng
    known = [m for m, (_, (y, mo, d), _) in MODELS.items() if y * 10000 + mo * 100 + d <= p.pub + 200]
    recent = [m for m in known if MODELS[m][1][0] >= p.year - 3]  # reports discuss the models of their time
    if not known:
        return 0
    model = r.pick(p.subjects("model_facts:models", recent if len(recent) >= 2 else known, 2, 5))
    params, (y, mo, d), data = MODELS[model]
    metric = r.weighted(
        (
            ("release", 3),
            ("model_parameters", 3),
            ("pretraining_data", 1),
            ("training_compute", 1),
            ("training_cost", 1),
        )
    )
    lead = {"model": model, "metric": metric}
    credit = ("公司官网", "OpenAI论文", "英伟达官网")
    if metric == "release":
        period = p_day(y, mo, d) if r.chance(0.5) else p_month(y, mo)
        return p.fact("model_facts", lead, period, str(y), "year", qualifier="exact", credit=credit)
    if metric == "model_parameters" and params is not None:
        qualifier = "order_of_magnitude" if model == "chatgpt" else "exact"
        return p.fact(
            "model_facts",
            lead,
            NO_PERIOD,
            num(params, 2 if params < 10 else 0),
            "亿",
            qualifier=qualifier,
            status="actual",
            credit=credit,
        )
    if metric == "pretraining_data" and data is not None:
        return p.fact(
            "model_facts",
            lead,
            NO_PERIOD,
            num(data[0], 1 if data[0] < 10 else 0),
            data[1],
            status="actual",
            credit=credit,
        )
    if metric == "training_compute" and model in TRAINING_COMPUTE:
        return p.fact(
            "model_facts",
            lead,
            NO_PERIOD,
            num(TRAINING_COMPUTE[model], 1),
            "PFLOP/s-day",
            qualifier="approx",
            status="actual",
            credit=credit,
        )
    if metric == "training_cost" and model in TRAINING_COST:
        return p.fact(
            "model_facts",
            lead,
            NO_PERIOD,
            num(TRAINING_COST[model], 0),
            "万美元",
            qualifier=r.pick(("approx", "lower_bound")),
            status="actual",
            credit=credit,
        )
    if model == "sora":
        return p.fact(
            "model_facts",
            {"model": model, "metric": "max_video_length"},
            NO_PERIOD,
            "60",
            "s",
            qualifier="upper_bound",
            status="actual",
            credit=credit,
        )
    if model == "openai_o1_series":
        return p.fact(
            "model_facts",
            {"model": model, "metric": "models_in_series"},
            NO_PERIOD,
            "3",
            "count",
            qualifier="exact",
            status="actual",
            credit=credit,
        )
    return 0


def gen_datacenter_projects(p: Package) -> int:
    r, seed = p.rng, p.seed
    project = r.pick(p.subjects("datacenter_projects:projects", DC_PROJECTS, 1, 3))
    if r.chance(0.15):
        year = truth_value(seed, "completion", project, low=2021, high=2028)
        year = int(year)
        metric = r.pick(("completion", "service_start"))
        period = p_quarter(year, r.between(1, 4)) if metric == "completion" else p_day(year, r.between(1, 12), 1)
        return p.fact(
            "datacenter_projects",
            {"project": project, "metric": metric},
            period,
            str(year),
            "year",
            qualifier="exact",
            credit=("IDC圈", "公司公告"),
        )
    metric, unit, low, high, decimals = r.pick(DC_ATTRIBUTES)
    value = truth_value(seed, "dc", project, metric, low=low, high=high)
    period = NO_PERIOD if r.chance(0.7) else p_year(p.year - 1)  # as of the last year end
    return p.fact(
        "datacenter_projects",
        {"project": project, "metric": metric},
        period,
        num(value, decimals),
        unit,
        countable=unit == "count",
        credit=("IDC圈", "公司公告"),
    )


DEDICATED_GENERATORS = {
    "market_size": gen_market_size,
    "vendor_share": gen_vendor_share,
    "vendor_financials": gen_vendor_financials,
    "metrics": gen_one_off,
    "compute_capacity": gen_compute_capacity,
    "token_volume": gen_token_volume,
    "model_facts": gen_model_facts,
    "datacenter_projects": gen_datacenter_projects,
}
LONG_GENERATORS = {
    spec.name: DEDICATED_GENERATORS.get(spec.name, partial(gen_one_off, table=spec.name)) for spec in FACT_TABLES
}


def fill(p: Package, table: str, quota: int) -> None:
    """Rows of one long table up to quota; a series that overshoots it is cut at the quota."""
    generator, target, misses = LONG_GENERATORS[table], p.count(table) + quota, 0
    while p.count(table) < target and misses < 40:
        misses = 0 if generator(p) else misses + 1
        if misses == 20 and p.widen(table):  # the report's subjects ran out of new keys
            misses = 0
    extra = p.count(table) - target
    if extra > 0:  # a series overshot the quota: drop its last rows (their keys stay reserved)
        del p.rows[table][-extra:]


# --- the typed tables ----------------------------------------------------------------------------


def gen_it_spend(p: Package) -> None:
    r, seed = p.rng, p.seed
    years = [p.year - 1, p.year]
    subset = list(IT_SEGMENTS) if r.chance(0.8) else r.sample(list(IT_SEGMENTS), 3)
    with_total = len(subset) == len(IT_SEGMENTS) and r.chance(0.7)
    unit = r.pick(("百万美元", "USD million"))
    credit = "Gartner" if r.chance(0.8) else ""
    printed: dict[tuple, int] = {}
    for segment in subset:
        base, growth = IT_SEGMENTS[segment]
        base *= truth_noise(seed, "it", segment)
        noise = r.uniform(0.98, 1.02)
        for year in years:
            printed[segment, year] = round(base * (1 + growth) ** (year - 2021) * noise)
    rows = [(segment, year, printed[segment, year]) for segment in subset for year in years]
    if with_total:
        rows += [("total", year, sum(printed[s, year] for s in subset)) for year in years]
    for segment, year, spend in rows:
        if year == years[0]:
            growth = num(r.uniform(-8, 12), 1) if r.chance(0.7) else ""
        else:
            growth = num((spend / next(v for s, y, v in rows if s == segment and y == years[0]) - 1) * 100, 1)
        p.add(
            "it_spend_by_segment",
            {
                "segment": segment,
                "year": str(year),
                "spend": str(spend),
                "unit": unit,
                "stated_growth_pct": growth,
                "status": "actual" if year < p.year else "forecast",
                "credited_source": credit,
                "ref": p.ref(),
                "note": "" if r.chance(0.9) else ("Gartner预测" if p.zh else "Gartner forecast"),
            },
        )


def gen_operator_revenue(p: Package) -> None:
    r, seed = p.rng, p.seed
    year = p.year - 1
    periods = [p_half(year, 1)] if r.chance(0.5) else [p_year(year)]
    if r.chance(0.3):
        periods.append(p_half(year + 1, 1) if periods[0][0].endswith("H1") else p_year(year - 1))
    periods = sorted(pr for pr in periods if pr[1] <= p.pub)
    unit = "亿元" if p.zh or r.chance(0.5) else "CNY 100 million"
    for operator, base in OPERATORS.items():
        base *= truth_noise(seed, "operator", operator)
        printed: dict[str, str] = {}
        for text, _ in periods:
            y = int(text[:4])
            growth = 0.9 if y <= 2022 else 0.25
            annual = base * (1 + growth) ** (y - 2022) if y >= 2022 else base / (1.9 ** (2022 - y))
            value = annual * (0.45 if "H" in text else 1.0) * r.uniform(0.98, 1.02)
            printed[text] = num(value, 1 if value < 1000 else 0)
            prior = printed.get(f"{y - 1}{text[4:]}")  # the same period a year earlier, when printed too
            if prior:
                yoy = num((float(printed[text]) / float(prior) - 1) * 100, 1)
            else:
                yoy = num(growth * 100 * r.uniform(0.9, 1.1), 1) if r.chance(0.8) else ""
            p.add(
                "operator_cloud_revenue",
                {
                    "operator": operator,
                    "period": text,
                    "revenue": printed[text],
                    "unit": unit,
                    "stated_yoy_pct": yoy,
                    "credited_source": "公司公告" if r.chance(0.8) else "",
                    "ref": p.ref(),
                    "note": ""
                    if r.chance(0.85)
                    else "中报口径 (interim report)"
                    if "H" in text
                    else "年报口径 (annual report)",
                },
            )


def gen_saas_share(p: Package) -> None:
    r = p.rng
    market = r.pick(SAAS_MARKETS)
    period = "" if r.chance(0.3) else str(p.year - 1)
    shares = share_group(p, SAAS_VENDORS, market)
    covered = r.uniform(0.12, 0.4) / (sum(s for _, s in shares) / 100)
    printed = [(v, num(max(s * covered, 0.1) - 0.05, 1)) for v, s in shares]
    rank, previous = 0, None
    for position, (vendor, share) in enumerate(printed, start=1):
        if share != previous:
            rank, previous = position, share
        p.add(
            "saas_vendor_share",
            {
                "market": market,
                "period": period,
                "vendor": vendor,
                "share_pct": share,
                "rank": str(rank) if r.chance(0.8) else "",
                "credited_source": "IDC" if r.chance(0.8) else "",
                "ref": p.ref(),
                "note": "" if period else "period not stated",
            },
        )


def gen_sizing(p: Package) -> None:
    r = p.rng
    params = r.pick((1750, 5620, 1000, 2600))
    mau = r.pick((1, 2, 3, 5))
    questions = r.between(3, 10)
    rows = (
        ("model_params", str(params), "亿"),
        ("training_compute", sci(3.14e11 * params / 1750 * r.uniform(0.9, 1.1)), "TFLOP"),
        ("gpu_throughput", r.pick(("19.5", "312", "156", "989")), "TFLOPS"),
        ("utilization", str(r.between(30, 60)), "percent"),
        ("training_duration", r.pick(("30", "60", "90")), "days"),
        ("gpus_per_server", "8", "count"),
        ("monthly_active_users", str(mau), "亿"),
        ("questions_per_user_per_day", str(questions), "count"),
        ("answers_per_day", str(mau * questions), "亿"),
        ("words_per_answer", str(r.between(5, 30) * 10), "count"),
        ("time_per_word", str(r.between(5, 35) * 10), "ms"),
    )
    for parameter, value, unit in rows:
        p.add(
            "sizing_assumptions",
            {
                "scenario": "base",
                "parameter": parameter,
                "value": value,
                "unit": unit,
                "ref": p.ref(),
                "note": "" if r.chance(0.8) else "经验值 (rule of thumb)",
            },
        )


# --- package assembly and files ------------------------------------------------------------------


def build(seed: int, number: int, facts_per_report: int = 100) -> tuple[dict[str, str], dict[str, list[list[str]]]]:
    """report.yaml fields and the rows of each table of one package."""
    check_vocabulary()
    p = Package(seed, number)
    r = p.rng
    fields = meta(p)  # drawn first, so the title does not depend on facts_per_report
    if p.anchor:
        gen_sizing(p)
    typed = {
        "it_spend_by_segment": gen_it_spend,
        "operator_cloud_revenue": gen_operator_revenue,
        "saas_vendor_share": gen_saas_share,
    }
    for table, chance in TYPED_CHANCE:
        if r.chance(chance):
            typed[table](p)
    weights = [(t, w) for t, w in LONG_TABLE_WEIGHTS if t != "token_volume" or p.year >= 2023]
    chosen: list[str] = []
    for _ in range(r.between(3, 6)):
        pool = [(t, w) for t, w in weights if t not in chosen]
        chosen.append(r.weighted(pool))
    if p.anchor:
        chosen += [t for t in ("token_volume", "compute_capacity") if t not in chosen]
        gen_token_volume(p, force_daily=True)
        gen_compute_capacity(p, force_region=True)
    if not any(t not in SMALL_TABLES for t in chosen):
        chosen.append(r.pick(("market_size", "vendor_financials", "vendor_share")))
    # a fixed order, whatever the draw order: the capped tables first, the open-ended ones share the rest
    chosen = sorted(chosen, key=lambda t: (t not in SMALL_TABLES, [n for n, _ in LONG_TABLE_WEIGHTS].index(t)))
    budget = facts_per_report - sum(len(rows) for rows in p.rows.values())
    shares = [r.uniform(0.5, 1.5) for _ in chosen]
    for i, table in enumerate(chosen):
        if budget <= 0:
            break
        quota = budget if i == len(chosen) - 1 else max(1, round(budget * shares[i] / sum(shares[i:])))
        if table in SMALL_TABLES:
            quota = min(quota, max(1, round(SMALL_TABLES[table] * facts_per_report)))
        before = sum(len(rows) for rows in p.rows.values())
        fill(p, table, quota)
        budget -= sum(len(rows) for rows in p.rows.values()) - before
    for table in ("market_size", "vendor_financials", "vendor_share"):  # a table whose ids ran out leaves a gap
        if budget > 0:
            before = sum(len(rows) for rows in p.rows.values())
            fill(p, table, budget)
            budget -= sum(len(rows) for rows in p.rows.values()) - before
    return fields, p.rows


def meta(p: Package) -> dict[str, str]:
    r = p.rng
    topic, kind, subtitle = r.pick(TOPICS), r.pick(KINDS), r.pick(SUBTITLES)
    published = f"{p.year}-{p.month:02d}" + (f"-{p.day:02d}" if p.has_day else "")
    notes = (
        f"Synthetic package written by benchmarks/synthetic.py (seed {p.seed}, number {p.number}); "
        "every figure is random around made-up values, do not cite."
    )
    if p.zh:
        publisher, publisher_en = r.pick(PUBLISHERS_ZH)
        return {
            "title": f"{topic[0]}行业{kind[0]}：{subtitle[0]}",
            "title_en": f"{topic[1].capitalize()} {kind[1]}: {subtitle[1]}",
            "publisher": publisher,
            "publisher_en": publisher_en,
            "published": published,
            "language": "zh",
            "notes": notes,
        }
    publisher = r.pick(PUBLISHERS_EN)
    return {
        "title": f"{topic[1].capitalize()} {kind[1]}: {subtitle[1]}",
        "publisher": publisher,
        "published": published,
        "language": "en",
        "notes": notes,
    }


def write_package(folder: Path, fields: dict[str, str], rows: dict[str, list[list[str]]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.csv"):
        stale.unlink()
    text = "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in fields.items())
    (folder / "report.yaml").write_text(text, encoding="utf-8")
    for table, table_rows in rows.items():
        if not table_rows:
            continue
        with open(folder / f"{table}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(TABLES_BY_NAME[table].columns)
            writer.writerows(table_rows)


def generate(root: Path, n: int, *, seed: int = 0, start: int = 0, facts_per_report: int = 100) -> list[Path]:
    """Write n valid report packages under root (folder names synth-<number zero padded to 6>,
    numbers start..start+n-1) and return their paths. Deterministic: the same (seed, number) always
    gives byte-identical files, independent of n and start, so 'add one report to N' is well defined."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(start, start + n):
        folder = root / f"synth-{number:06d}"
        fields, rows = build(seed, number, facts_per_report)
        write_package(folder, fields, rows)
        paths.append(folder)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write N deterministic synthetic report packages.")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--facts-per-report", type=int, default=100)
    args = parser.parse_args(argv)
    began = time.perf_counter()
    paths = generate(args.out_dir, args.n, seed=args.seed, start=args.start, facts_per_report=args.facts_per_report)
    print(f"wrote {len(paths)} package(s) to {args.out_dir} in {time.perf_counter() - began:.1f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
