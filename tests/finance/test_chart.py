"""The budget chart: a fund in deficit is drawn below the zero line, and the PDF's chart has its legend."""

import io
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse
from pypdf import PdfReader

from finance.chart import build_chart
from finance.models import BudgetEntry, CostSharingKey, FinancingParty, KeyShare
from plans.pdf import plan_pdf_bytes
from tests.helpers import make_budget_entry, make_plan

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
INCOME, COSTS, BALANCE = "#1d6b35", "#b4531f", "#0b4f85"


def chart_svg(client, plan) -> ET.Element:
    """The chart's SVG as the budget page sends it."""
    page = client.get(reverse("finance:budget", args=[plan.pk])).content.decode()
    figure = page.split('<figure class="budget-chart">', 1)[1]
    svg = figure[figure.index("<svg") :]
    return ET.fromstring(svg[: svg.index("</svg>") + len("</svg>")])


def drawn(svg: ET.Element, tag: str, css_class: str) -> list[ET.Element]:
    return [e for e in svg.iter(SVG + tag) if css_class in e.get("class", "").split()]


def tick_labels(svg) -> dict[str, float]:
    """Each value axis label as the reader sees it (spaces as plain spaces) and its y."""
    return {
        t.text.replace("\xa0", " "): float(t.get("y"))
        for t in drawn(svg, "text", "ch-axis")
        if t.get("text-anchor") == "end"
    }


def zero_line_y(svg) -> float:
    (line,) = drawn(svg, "line", "ch-zero")
    assert line.get("y1") == line.get("y2")
    return float(line.get("y1"))


def balance_ys(svg) -> list[float]:
    return [float(c.get("cy")) for c in drawn(svg, "circle", "ch-balance-point")]


@pytest.fixture
def plan_in_deficit(db):
    """Costs of 3 000 000 kr shared in halves and nothing in the fund: it closes at −1 500 000 kr."""
    plan = make_plan(first_year=2026, last_year=2026)
    municipalities = FinancingParty.objects.create(plan=plan, order=1, is_municipalities=True)
    region = FinancingParty.objects.create(plan=plan, order=2, name="Regionen", in_fund=False)
    key = CostSharingKey.objects.create(plan=plan)
    for party in (municipalities, region):
        KeyShare.objects.create(key=key, party=party, percent=50)
    make_budget_entry(plan, year=2026, kind=BudgetEntry.Kind.COST, amount="3000000")
    return plan


def test_a_negative_balance_is_drawn_below_the_zero_line(client, plan_in_deficit, coordinator):
    client.force_login(coordinator)  # the plan is a draft of the coordinator's cooperation
    svg = chart_svg(client, plan_in_deficit)
    zero = zero_line_y(svg)
    ticks = tick_labels(svg)
    assert ticks["0"] == zero
    (balance,) = balance_ys(svg)
    assert balance > zero
    # The axis reaches below the balance, with round ticks labelled the Swedish way.
    assert ticks == {
        "−2 000 000": max(ticks.values()),
        "0": zero,
        "2 000 000": ticks["2 000 000"],
        "4 000 000": min(ticks.values()),
    }
    assert ticks["−2 000 000"] >= balance
    # The costs bar stands on the zero line.
    (costs,) = drawn(svg, "rect", "ch-costs")
    assert float(costs.get("y")) + float(costs.get("height")) == pytest.approx(zero)
    # The table and the chart's description tell the same figure.
    assert "utgående balans −1\xa0500\xa0000\xa0kr" in svg.find(SVG + "desc").text


def test_the_seed_budgets_chart_keeps_its_shape_with_the_zero_line_at_the_bottom(client, plan_2016):
    svg = chart_svg(client, plan_2016)
    ticks = tick_labels(svg)
    assert list(ticks) == ["0", "2 000 000", "4 000 000", "6 000 000", "8 000 000"]
    assert zero_line_y(svg) == ticks["0"] == max(ticks.values())
    (unit,) = drawn(svg, "text", "ch-unit")
    assert unit.text == "kr" and float(unit.get("y")) < min(ticks.values())  # above the axis's labels
    # 2014: income 3 171 726 kr and costs 2 036 774 kr grow up from the zero line, to scale.
    income, costs = drawn(svg, "rect", "ch-income")[0], drawn(svg, "rect", "ch-costs")[0]
    per_krona = (ticks["0"] - ticks["8 000 000"]) / 8_000_000
    assert float(income.get("y")) + float(income.get("height")) == pytest.approx(ticks["0"])
    assert float(income.get("height")) == pytest.approx(3_171_726 * per_krona)
    assert float(costs.get("height")) == pytest.approx(2_036_774 * per_krona)
    # The balance falls from 6 109 227 to 1 190 649 kr, every point above the zero line.
    ys = balance_ys(svg)
    assert ys == sorted(ys) and all(y < ticks["0"] for y in ys)
    assert ys[0] == pytest.approx(ticks["0"] - 6_109_227 * per_krona)


def year(number, income, costs, balance):
    return SimpleNamespace(
        year=number, income_total=Decimal(income), costs_total=Decimal(costs), closing_balance=Decimal(balance)
    )


@pytest.mark.parametrize(
    "years",
    [
        pytest.param([year(2026, 0, 3_000_000, -1_500_000)], id="single year in deficit"),
        pytest.param([year(2026, -200_000, 0, -250_000), year(2027, -50_000, 0, -1_499_999)], id="all negative"),
        pytest.param([year(2026, 400_000, 900_000, 120_000), year(2027, 0, 800_000, -280_000)], id="mixed"),
        pytest.param([year(2026, 1_000, 400, 600)], id="all positive"),
        pytest.param([year(2026, 0, 0, 0), year(2027, "0.00", "0.00", "0.00")], id="all zero"),
    ],
)
def test_the_axis_holds_zero_and_every_value_with_bars_on_the_zero_line(years):
    chart = build_chart(years)
    values = [v for y in years for v in (y.income_total, y.costs_total, y.closing_balance)]
    tick_values = [tick.value for tick in chart.ticks]
    assert 0 in tick_values and chart.ticks[tick_values.index(0)].y == chart.zero_y
    assert min(tick_values) <= min(values) and max(tick_values) >= max(values)
    steps = {b.value - a.value for a, b in zip(chart.ticks, chart.ticks[1:], strict=False)}
    assert len(steps) == 1 and next(iter(steps)) > 0  # evenly spaced, rising
    assert [t.y for t in chart.ticks] == sorted((t.y for t in chart.ticks), reverse=True)  # higher is up
    lowest, highest = chart.ticks[0], chart.ticks[-1]
    for budget_year, drawn_year in zip(years, chart.years, strict=True):
        for value, bar in ((budget_year.income_total, drawn_year.income), (budget_year.costs_total, drawn_year.costs)):
            end = bar.y if value >= 0 else bar.y + bar.height  # the bar's end away from the zero line
            assert bar.y + bar.height == pytest.approx(chart.zero_y) or bar.y == pytest.approx(chart.zero_y)
            assert (end < chart.zero_y) == (value > 0) and (end > chart.zero_y) == (value < 0)
        # The balance's point lies where its value lies between the lowest and the highest tick.
        share = float((budget_year.closing_balance - lowest.value) / (highest.value - lowest.value))
        assert drawn_year.balance_y == pytest.approx(lowest.y + share * (highest.y - lowest.y))


def rgb(hex_colour: str) -> tuple[float, float, float]:
    return tuple(int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))


def test_the_pdfs_chart_has_a_legend_with_colour_keys(plan_2016):
    reader = PdfReader(io.BytesIO(plan_pdf_bytes(plan_2016)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for label in ("Intäkter (alla parter)", "Kostnader (alla parter)", "Utgående balans i den gemensamma fonden"):
        assert label in text, label
    # Each key is a figure of its own in the tagged PDF, drawn in its mark's colour.
    figures = {}

    def walk(node):
        node = node.get_object()
        if not isinstance(node, dict):
            return
        if node.get("/S") == "/Figure" and "/Alt" in node:
            figures[str(node["/Alt"])] = node
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else ([kids] if kids is not None else []):
            walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    for alt, colour in (("Grön ruta", INCOME), ("Orange ruta", COSTS), ("Blå linje med punkter", BALANCE)):
        assert alt in figures, alt
        figure = figures[alt]
        (page,) = [p for p in reader.pages if p.indirect_reference.idnum == figure.raw_get("/Pg").idnum]
        contents = page.get_contents().get_data().decode("latin-1")
        (mcid,) = [kid for kid in figure["/K"] if isinstance(kid, int)]
        drawing = re.search(rf"<<\s*/MCID {mcid}\s*>>\s*BDC(.*?)EMC", contents, re.S).group(1)
        fills = [tuple(map(float, m)) for m in re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) rg", drawing)]
        assert any(fill == pytest.approx(rgb(colour), abs=1e-4) for fill in fills), (alt, fills)
