"""The PDFs laid out as the documents they stand for (issue 19, items 14, 18, 19 and 20).

The adopted plan keeps its own order (a table stands where the text says "I tabellen nedan"), its
cover names the route that adopted it, its landscape pages print what is there and nothing empty,
the protocol excerpt's head is a protocol's, and every download's name says what it is.
"""

import io
import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from pypdf import PdfReader

from ehalsa.pdf import render_pdf
from governance.models import Decision
from plans import pdf as plan_pdfs
from plans.download_names import plan_pdf_name, title_slug
from plans.models import ActionPlan, Section
from plans.pdf import plan_pdf_html
from plans.report_pdf import store_missing_report_pdfs
from tests.helpers import make_activity, make_plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def pdf_text(response) -> tuple[PdfReader, str]:
    assert response.status_code == 200, response.content[:300]
    content = b"".join(response.streaming_content) if response.streaming else response.content
    reader = PdfReader(io.BytesIO(content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


@pytest.fixture
def adopted_2016(client, plan_2016):
    plan_pdfs.store_plan_pdf(plan_2016)  # as the worker does when the plan is adopted
    return pdf_text(client.get(reverse("plans:actionplan_pdf", args=[plan_2016.pk])))


def test_the_adopted_plan_keeps_the_documents_own_order(adopted_2016):
    reader, text = adopted_2016
    body = flat(text.split("Inledning", 2)[2])  # after the cover and the table of contents
    order = [
        "invånare istället för individ",  # the section "Målbild för ehälsa" …
        "För delaktighet och trygghet, ska invånaren",  # … followed by its goals
        "I tabellen nedan redovisas kortfattat",  # "Genomförda insatser 2014 och 2015" …
        "Förankring och spridning av handlingsplan för ehälsa",  # … followed by the table
        "Planerade insatser 2016-2017 Med utgångspunkt",
        "Nationell Patientöversikt (NPÖ) 2.0",  # the activity table in its section
        "Ekonomi och finansiering",
        "Beräknade kostnader 2016-2017 Kostnader för insatser",
        "Kommunerna (kr)",  # the budget's tables after the text that announces them
        "Uppföljning och utvärdering",
        "Referenser",
    ]
    places = [body.find(fragment) for fragment in order]
    assert -1 not in places, dict(zip(order, places, strict=True))
    assert places == sorted(places), dict(zip(order, places, strict=True))
    toc = flat(reader.pages[1].extract_text())
    assert "Mål ." not in toc and "Uppföljning av föregående plan" not in toc  # they are in their sections


def test_the_cover_names_every_body_on_the_route_that_adopted_the_plan(adopted_2016):
    reader, _ = adopted_2016
    cover = flat(reader.pages[0].extract_text())
    route = [
        "Antagen av Nätverket för ehälsa 2015-10-20",
        "Tillstyrkt av Ledningsgrupp för vård och omsorg 2015-11-13",
        "Antagen av Sakområdessamråd vård och omsorg 2015-11-27",
    ]
    assert all(step in cover for step in route), cover
    assert [cover.find(step) for step in route] == sorted(cover.find(step) for step in route)
    assert "Mjölby" not in cover and "Omsorgs- och socialnämnden" not in cover  # they decided after the adoption


def test_the_landscape_pages_print_the_timeline_once_and_the_running_title_on_one_line(adopted_2016, plan_2016):
    reader, text = adopted_2016
    assert "Tidslinje" in text
    assert not re.search(r"NPÖ\) 2\.0: 2016", text)  # the timeline's text list repeats the table's periods
    for page in reader.pages[1:]:
        last_line = page.extract_text().splitlines()[-1]
        assert last_line.startswith(plan_2016.title + " Sida "), last_line


def header_cells(html: str) -> list[str]:
    table = html.split('<table class="activities">', 1)[1].split("</thead>", 1)[0]
    return re.findall(r'<th scope="col">([^<]*)</th>', table)


def test_columns_empty_for_every_activity_and_an_unused_footnote_are_left_out(plan_2016, vastkom_plan):
    # Seed 000's activities have no area, effect goal, responsible, effort, regional support or LIKA.
    assert header_cells(plan_pdf_html(plan_2016)) == ["Nr", "Aktivitet", "Innehåll och nytta", "Period", "Status"]
    assert "Aktiviteten gäller kommunen som helhet" not in plan_pdf_html(plan_2016)
    # Seed 003's fill every column, and mark activities that concern the whole municipality.
    html = plan_pdf_html(vastkom_plan)
    assert {"Område", "Effektmål", "Insats", "Regionalt samarbetsorgan", "LIKA"} <= set(header_cells(html))
    assert "* Aktiviteten gäller kommunen som helhet" in html


def test_a_draft_prints_a_column_once_an_activity_fills_it(plan_2016):
    plan = make_plan(title="Plan med en insats")
    make_activity(plan, title="Utan allt", content="Innehåll")
    assert "Ansvarig" not in header_cells(plan_pdf_html(plan))
    make_activity(plan, number="2", title="Med ansvarig", owner="Mjölby kommun")
    assert "Ansvarig" in header_cells(plan_pdf_html(plan))


def test_a_section_shows_the_part_it_names_right_after_its_text_once():
    plan = make_plan(title="Plan i dokumentets ordning")
    make_activity(plan, title="Insatsen i tabellen", start_year=2026, end_year=2027)
    Section.objects.create(plan=plan, order=1, heading="Inledning", body="Om planen.")
    Section.objects.create(plan=plan, order=2, heading="Insatser", body="I tabellen nedan.", shows="activities")
    Section.objects.create(plan=plan, order=3, heading="Mer", body="Samma tabell igen?", shows="activities")
    html = plan_pdf_html(plan)
    assert html.count("Insatsen i tabellen</td>") == 1
    assert html.index("I tabellen nedan.") < html.index("Insatsen i tabellen</td>") < html.index("Samma tabell igen?")
    assert 'href="#aktiviteter"' not in html  # in its section, not a chapter of its own in the contents


def test_no_table_row_is_left_alone_on_the_last_page_of_its_table():
    def rows_per_page(count: int) -> list[int]:
        rows = "".join(f"<tr><td>rad-{n}</td><td>text</td></tr>" for n in range(count))
        html = Template(
            '{% extends "pdf/base.html" %}{% block content %}<table><thead><tr><th>A</th><th>B</th></tr></thead>'
            "<tbody>{{ rows|safe }}</tbody></table>{% endblock %}"
        ).render(Context({"rows": rows}))
        reader = PdfReader(io.BytesIO(render_pdf(html)))
        return [page.extract_text().count("rad-") for page in reader.pages]

    first_page = rows_per_page(200)[0]
    assert rows_per_page(first_page + 1)[-1] >= 2  # one row more than a page holds goes with a companion


def test_the_protocol_excerpts_head_is_a_table_of_body_date_paragraph_and_dnr(client, plan_2016):
    decision = Decision.objects.get(plan=plan_2016, paragraph=35)
    reader, text = pdf_text(client.get(reverse("plans:decision_excerpt_pdf", args=[decision.pk])))
    lines = text.splitlines()
    assert lines[:3] == [
        "Mjölby kommun PROTOKOLLSUTDRAG",
        "Organ Sammanträdesdatum § Dnr",
        "Kommunstyrelsens arbetsutskott 2016-02-29 35 KS/2016:51",
    ]
    kinds = set()

    def walk(node):
        node = node.get_object()
        if isinstance(node, dict):
            kinds.add(node.get("/S"))
            kids = node.get("/K")
            for kid in kids if isinstance(kids, list) else ([kids] if kids is not None else []):
                walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    assert {"/Table", "/TH", "/TD"} <= kinds


@pytest.mark.parametrize(
    ("paragraph", "fragments"),
    [
        (
            17,
            [
                "Bakgrund",
                "Sammanfattning",
                "Planerade insatser",
                "Samordnad vårdplanering (verksamhetsprocessen och byte till Cosmic Link)",
                "Trygghet, service och delaktighet i hemmet (digitala trygghetslarm och välfärdsteknologi)",
                "förväntas uppgå till ca 862 124 kr per år.",
                "Arbetsformen inom Östergötland där handlingsplanen är en central del har varit lyckosam",
                "Omsorgs- och socialnämnden beslutar att ställa sig bakom handlingsplanen",
            ],
        ),
        (
            35,
            [
                "Syftet med handlingsplanen 2016-2017 är att ge kommunerna",
                "Handlingsplanen för 2016-2017 omfattar även en uppföljning av insatser för perioden 2014-2015.",
                "Kommunstyrelseförvaltningen har remitterat handlingsplanen till omsorgsnämnden för yttrande.",
                "Arbetsutskottet beslutar att hänskjuta ärendet till kommunstyrelsen.",
            ],
        ),
    ],
)
def test_mjolbys_excerpts_carry_the_whole_text_of_seed_000(client, plan_2016, paragraph, fragments):
    decision = Decision.objects.get(plan=plan_2016, paragraph=paragraph)
    _, text = pdf_text(client.get(reverse("plans:decision_excerpt_pdf", args=[decision.pk])))
    assert [fragment for fragment in fragments if fragment not in flat(text)] == []


def disposition(response) -> str:
    return response["Content-Disposition"]


def test_every_pdf_download_is_named_for_what_it_is(client, plan_2016, plan_2014, h2o_plan, coordinator):
    plan_pdfs.store_plan_pdf(plan_2016)
    url = reverse("plans:actionplan_pdf", args=[plan_2016.pk])
    name = "handlingsplan-ehalsa-ostergotland-2016-2017"
    assert disposition(client.get(url)) == f'attachment; filename="{name}.pdf"'
    ssvo = Decision.objects.get(plan=plan_2016, body__short_name="SSVO")
    assert (
        disposition(client.get(url, {"decision": ssvo.pk}))
        == f'attachment; filename="bilaga-ssvo-2015-11-27-{name}.pdf"'
    )
    osn = Decision.objects.get(plan=plan_2016, paragraph=17)
    assert disposition(client.get(url, {"decision": osn.pk})) == (
        f'attachment; filename="bilaga-osn-2016-01-26-p17-{name}.pdf"'
    )
    client.force_login(coordinator)
    typed = {"body": "Kommunstyrelsen i Åtvidaberg", "date": "2016-03-14", "paragraph": "12", "dnr": "KS 2016/3"}
    assert disposition(client.get(url, typed)) == (
        f'attachment; filename="bilaga-kommunstyrelsen-i-atvidaberg-2016-03-14-p12-{name}.pdf"'
    )
    ksau = Decision.objects.get(plan=plan_2016, paragraph=35)
    excerpt = client.get(reverse("plans:decision_excerpt_pdf", args=[ksau.pk]))
    assert disposition(excerpt) == f'attachment; filename="protokollsutdrag-ksau-2016-02-29-p35-{name}.pdf"'
    assert plan_pdf_name(h2o_plan, draft=True) == "strategi-handlingsplan-e-halsa-inom-h2o-2017-2019-utkast.pdf"


def test_a_follow_up_reports_pdf_and_its_appendix_are_named_for_the_report(client, plan_2014):
    report = plan_2014.reports.get(year=2015)
    store_missing_report_pdfs()
    url = reverse("plans:report_pdf", args=[report.pk])
    name = "uppfoljning-2015-handlingsplan-ehalsa-2014-2015"
    assert disposition(client.get(url)) == f'attachment; filename="{name}.pdf"'
    decision = report.decisions.select_related("body").first()
    meeting = f"{decision.body.display_name.lower()}-{decision.meeting_date:%Y-%m-%d}"
    assert (
        disposition(client.get(url, {"beslut": decision.pk})) == f'attachment; filename="bilaga-{meeting}-{name}.pdf"'
    )


def test_a_long_title_is_shortened_by_whole_words_and_a_period_in_the_title_is_not_repeated():
    plan = ActionPlan(title="Projektplan välfärdsteknik i hemtjänsten 2025–2027", first_year=2025, last_year=2027)
    assert plan_pdf_name(plan) == "projektplan-valfardsteknik-hemtjansten-2025-2027.pdf"
    long = title_slug("Handlingsplan " + "mycket " * 40)
    assert len(long) <= 100 and long.endswith("mycket")
