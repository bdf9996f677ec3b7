"""Every URL of the product × every persona: the answer each gets.

Personas: anonymous; viewer (Linköping, a member of Östergötland); an official of another
municipality (Oskarshamn, in H2O); the official and the secretary of Mjölby; the coordinator of
another cooperation (H2O); Östergötland's coordinator; an administrator (superuser). The cooperation
administration's URLs also answer two more: the administrator of Region Östergötland (so of the
Östergötland cooperation) and the administrator of VästKom (another cooperation). The draft is Östergötland's
2018–2019 plan; the adopted plan is 2016–2017. The frozen report is the 2014–2015 plan's (the demo's);
the report under way is 2016's, sent to LGVO. Grows with every new URL (a test fails when a URL
of the project is missing from the matrix).
"""

import re
from collections import Counter
from datetime import date, timedelta
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import transaction
from django.urls import Resolver404, get_resolver, resolve, reverse
from django.utils import timezone
from django.views.generic.edit import FormMixin

from activities.models import FollowUp, Measure
from finance.models import BudgetHeading
from governance import invitations
from governance.models import Decision, Invitation, Organisation
from plans import reports, services
from plans.models import ActionPlan, ImportFile, ImportRow, TableImport
from plans.reminders import unsubscribe_token
from plans.report_models import FollowUpReport
from tests.helpers import make_user

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "viewer",
    "official_elsewhere",
    "official",
    "secretary",
    "other_coordinator",
    "coordinator",
    "administrator",
]

# Expected answers, in the order of PERSONAS.
PUBLIC = [200] * 8
DRAFT_READ = [404, 200, 404, 200, 200, 404, 200, 200]
LOGIN_PUBLIC = [302, 200, 200, 200, 200, 200, 200, 200]
LOGIN_DRAFT = [302, 200, 404, 200, 200, 404, 200, 200]
EDIT_DRAFT = [302, 403, 404, 403, 403, 404, 200, 200]
EDIT_ADOPTED = [302, 403, 403, 403, 403, 403, 302, 302]  # editors are sent back with a message
POST_ONLY_DRAFT = [302, 403, 404, 403, 403, 404, 405, 405]
POST_ONLY_ADOPTED = [302, 403, 403, 403, 403, 403, 405, 405]
CREATE_PLAN = [302, 403, 403, 403, 403, 200, 200, 200]
# On an adopted plan only the municipalities decide; the coordinator is told why (a revision changes it).
DECIDE_ADOPTED = [302, 403, 403, 200, 200, 403, 302, 200]
REVISE_ADOPTED = [302, 403, 403, 403, 403, 403, 200, 200]
# A draft's PDF: its readers are sent to the page that says how far it is, and ask for it there (POST).
DRAFT_PDF = [404, 302, 404, 302, 302, 404, 302, 302]
ASK_FOR_DRAFT_PDF = [302, 405, 404, 405, 405, 404, 405, 405]
RECORD_PROGRESS = [302, 403, 403, 403, 403, 403, 200, 200]
SIGNED_IN = [302, 200, 200, 200, 200, 200, 200, 200]
# Follow-up (progress, measured values) is recorded on adopted plans by their coordinators.
FOLLOW_UP_ADOPTED = [302, 403, 403, 403, 403, 403, 200, 200]
FOLLOW_UP_DRAFT = [302, 403, 404, 403, 403, 404, 302, 302]  # the coordinator is told to wait for the adoption
# Yearly follow-up reports: a frozen one is public, one under way is read by the cooperation's members.
# A report is compiled on an adopted plan (a draft's coordinators are told why not); decisions are
# recorded for the bodies it was sent to (LGVO, a body of the cooperation: its coordinators).
COMPILE_ON_DRAFT = [302, 403, 404, 403, 403, 404, 302, 302]
DECIDE_ON_FROZEN = [302, 403, 403, 403, 403, 403, 200, 200]
# A local plan is made from a published template (VästKom's) by its member municipalities' officials and
# coordinators (none of these personas but the administrator); a plan that is no template has no such page.
MAKE_LOCAL_PLAN = [302, 403, 403, 403, 403, 403, 403, 200]
NOT_A_TEMPLATE = [302, 404, 404, 404, 404, 404, 404, 404]

# The cooperation administration (Östergötland's): its administrators only, not its coordinator.
ADMINISTRATION_PERSONAS = [*PERSONAS, "cooperation_administrator", "other_administrator"]
ADMINISTRATION = [302, 403, 403, 403, 403, 403, 403, 200, 200, 200]  # any administrator: their own list
ADMINISTER = [302, 403, 403, 403, 403, 403, 403, 200, 200, 403]
ADMINISTER_POST_ONLY = [302, 403, 403, 403, 403, 403, 403, 405, 405, 403]
INVITATION_TOKEN = "matrix-invitation-token"


@pytest.fixture
def world(plan_2016, plan_2014, coordinator, vastkom_plan):
    draft = services.plan_create_next_period(plan=plan_2016, user=coordinator)
    FollowUp.objects.create(
        activity=plan_2016.activities.first(), period=2016, date=date(2016, 12, 1), phase="ongoing", text="Pågår."
    )
    report = reports.report_compile(plan=plan_2016, year=2016, user=coordinator)
    FollowUpReport.objects.filter(pk=report.pk).update(summary="Enligt plan.")
    reports.report_send(report=report, bodies=list(plan_2016.cooperation.bodies.filter(short_name="LGVO")))
    return {
        "report": report,
        "frozen_report": FollowUpReport.objects.get(plan=plan_2014),
        "draft": draft,
        "adopted": plan_2016,
        "draft_activity": draft.activities.first(),
        "adopted_activity": plan_2016.activities.first(),
        "draft_section": draft.sections.first(),
        "draft_goal": draft.goals.first(),
        "adopted_section": plan_2016.sections.first(),
        "adopted_entry": plan_2016.budget_entries.first(),
        "adopted_key": plan_2016.cost_keys.first(),
        "adopted_party": plan_2016.parties.first(),
        "adopted_heading": BudgetHeading.objects.create(plan=draft, title="Samordning"),
        "decision": Decision.objects.filter(plan=plan_2016).first(),
        "unsubscribe_token": unsubscribe_token(coordinator),
        "milestone": plan_2016.activities.first().milestones.create(title="Pilot", due_date=date(2016, 6, 30)),
        "draft_measure": Measure.objects.filter(goal__plan=draft).first(),
        "adopted_measure": Measure.objects.filter(activity__plan=plan_2016).first(),
        "body": plan_2016.cooperation.bodies.get(short_name="LGVO"),
        "invitation": Invitation.objects.create(
            cooperation=plan_2016.cooperation,
            email="inbjuden@motala.se",
            organisation=Organisation.objects.get(name="Motala kommun"),
            role="official",
            expires_at=timezone.now() + timedelta(days=7),
            token_hash=invitations.token_hash(INVITATION_TOKEN),
        ),
        "draft_import": checked_import(draft, coordinator),
        "template": vastkom_plan,
        "local_plan": ActionPlan.objects.get(municipality__name="Alingsås kommun", template_version__plan=vastkom_plan),
    }


def administration_cases(w):
    """The cooperation administration's URLs, answering ADMINISTRATION_PERSONAS."""
    coop = w["adopted"].cooperation_id
    member = w["adopted"].cooperation.members.get(name="Mjölby kommun").memberships.first()
    return [
        ("administration:home", [], ADMINISTRATION),
        ("administration:cooperation_create", [], ADMINISTRATION),
        ("administration:cooperation_detail", [coop], ADMINISTER),
        ("administration:cooperation_update", [coop], ADMINISTER),
        ("administration:members", [coop], ADMINISTER),
        ("administration:organisation_create", [coop], ADMINISTER),
        ("administration:history", [coop], ADMINISTER),
        ("administration:body_create", [coop], ADMINISTER),
        ("administration:body_update", [coop, w["body"].pk], ADMINISTER),
        ("administration:body_delete", [coop, w["body"].pk], ADMINISTER),  # asks first (and says why not)
        ("administration:user_list", [coop], ADMINISTER),
        ("administration:user_detail", [coop, member.user_id], ADMINISTER),
        ("administration:user_active", [coop, member.user_id], ADMINISTER_POST_ONLY),
        ("administration:role_add", [coop], ADMINISTER_POST_ONLY),
        ("administration:role_change", [coop, member.pk], ADMINISTER_POST_ONLY),
        ("administration:role_remove", [coop, member.pk], ADMINISTER_POST_ONLY),
        ("administration:invitation_create", [coop], ADMINISTER),
        ("administration:invitation_resend", [coop, w["invitation"].pk], ADMINISTER_POST_ONLY),
        ("administration:invitation_withdraw", [coop, w["invitation"].pk], ADMINISTER_POST_ONLY),
        # The invitee's link: the token is the key, whoever opens it.
        ("administration:invitation_accept", [INVITATION_TOKEN], [200] * len(ADMINISTRATION_PERSONAS)),
    ]


def checked_import(plan, user) -> TableImport:
    """The coordinator's upload of an activity table to the draft, read and checked: its preview."""
    table_import = TableImport.objects.create(
        plan=plan,
        kind="activities",
        user=user,
        filename="aktiviteter.csv",
        size=30,
        sha256="0" * 64,
        language="sv",
        status=TableImport.Status.CHECKED,
        step=TableImport.Step.CHECK,
        headers=["Nr", "Aktivitet"],
        samples=[["21"], ["Ny insats"]],
        row_count=1,
        mapping=["number", "title"],
        summary={"rows": 1, "valid": 1, "with_errors": 0, "unknown_columns": [], "notes": []},
    )
    ImportFile.objects.create(table_import=table_import, content=b"Nr;Aktivitet\r\n21;Ny insats\r\n")
    ImportRow.objects.create(table_import=table_import, number=2, values={"number": "21", "title": "Ny insats"})
    return table_import


API_LISTS = ["cooperation", "organisation", "body", "plan", "activity", "decision"]


def cases(w):
    d, a = w["draft"].pk, w["adopted"].pk
    coop = w["adopted"].cooperation_id
    return [
        ("home", [], PUBLIC),
        ("plans:actionplan_list", [], PUBLIC),
        ("plans:actionplan_create", [], CREATE_PLAN),
        ("plans:actionplan_detail", [a], PUBLIC),
        ("plans:actionplan_detail", [d], DRAFT_READ),
        ("lika:plan", [a], PUBLIC),
        ("lika:plan", [d], DRAFT_READ),
        ("lika:cooperation", [coop], PUBLIC),
        ("plans:actionplan_pdf", [a], PUBLIC),
        ("plans:actionplan_pdf", [d], DRAFT_PDF),
        ("plans:actionplan_pdf_status", [a], PUBLIC),
        ("plans:actionplan_pdf_status", [d], DRAFT_READ),
        ("plans:actionplan_pdf_request", [a], POST_ONLY_ADOPTED),  # its coordinators ask again after a failure
        ("plans:actionplan_pdf_request", [d], ASK_FOR_DRAFT_PDF),
        ("plans:actionplan_appendix", [a], PUBLIC),
        ("plans:actionplan_appendix", [d], DRAFT_READ),
        ("plans:decision_excerpt_pdf", [w["decision"].pk], PUBLIC),
        ("plans:actionplan_history", [a], LOGIN_PUBLIC),
        ("plans:actionplan_history", [d], LOGIN_DRAFT),
        ("plans:actionplan_update", [d], EDIT_DRAFT),
        ("plans:actionplan_update", [a], EDIT_ADOPTED),
        ("plans:actionplan_next_period", [a], POST_ONLY_ADOPTED),
        ("plans:section_create", [d], EDIT_DRAFT),
        ("plans:section_update", [w["draft_section"].pk], EDIT_DRAFT),
        ("plans:section_update", [w["adopted_section"].pk], EDIT_ADOPTED),
        ("plans:section_delete", [w["draft_section"].pk], EDIT_DRAFT),
        ("plans:section_move", [w["draft_section"].pk], POST_ONLY_DRAFT),
        ("plans:section_reviewed", [w["draft_section"].pk], POST_ONLY_DRAFT),
        ("plans:goal_create", [d], EDIT_DRAFT),
        ("plans:goal_update", [w["draft_goal"].pk], EDIT_DRAFT),
        ("plans:goal_delete", [w["draft_goal"].pk], EDIT_DRAFT),
        ("plans:goal_move", [w["draft_goal"].pk], POST_ONLY_DRAFT),
        ("plans:goal_reviewed", [w["draft_goal"].pk], POST_ONLY_DRAFT),
        ("activities:activity_search", [], PUBLIC),
        ("activities:activity_detail", [w["adopted_activity"].pk], PUBLIC),
        ("activities:activity_detail", [w["draft_activity"].pk], DRAFT_READ),
        ("activities:activity_history", [w["adopted_activity"].pk], LOGIN_PUBLIC),
        ("activities:activity_create", [d], EDIT_DRAFT),
        ("activities:activity_update", [w["draft_activity"].pk], EDIT_DRAFT),
        ("activities:activity_update", [w["adopted_activity"].pk], EDIT_ADOPTED),
        ("activities:activity_delete", [w["draft_activity"].pk], EDIT_DRAFT),
        ("activities:activity_move", [w["draft_activity"].pk], POST_ONLY_DRAFT),
        ("activities:activity_reviewed", [w["draft_activity"].pk], POST_ONLY_DRAFT),
        ("activities:activity_renumber", [d], POST_ONLY_DRAFT),
        ("activities:followup_create", [w["adopted_activity"].pk], [302, 403, 403, 403, 403, 403, 200, 200]),
        # Milestones, like progress, are kept on adopted plans by those who record follow-ups.
        ("activities:milestone_create", [w["adopted_activity"].pk], RECORD_PROGRESS),
        ("activities:milestone_update", [w["milestone"].pk], RECORD_PROGRESS),
        ("activities:milestone_reached", [w["milestone"].pk], POST_ONLY_ADOPTED),
        ("activities:milestone_delete", [w["milestone"].pk], RECORD_PROGRESS),
        # Activity 1 (NPÖ 2.0) is carried out by every member: each municipality's officials record its
        # status on the adopted plan, the coordinators any member's; on the draft they are told why not.
        ("activities:municipal_status_create", [w["adopted_activity"].pk], [302, 403, 403, 200, 403, 403, 200, 200]),
        ("activities:municipal_status_create", [w["draft_activity"].pk], [302, 403, 404, 302, 403, 404, 302, 302]),
        ("activities:measure_create", [w["draft_activity"].pk], EDIT_DRAFT),
        ("activities:measure_create", [w["adopted_activity"].pk], EDIT_ADOPTED),
        ("activities:measure_create_for_goal", [w["draft_goal"].pk], EDIT_DRAFT),
        ("activities:measure_update", [w["draft_measure"].pk], EDIT_DRAFT),
        ("activities:measure_update", [w["adopted_measure"].pk], EDIT_ADOPTED),
        ("activities:measure_delete", [w["draft_measure"].pk], EDIT_DRAFT),
        ("activities:measure_delete", [w["adopted_measure"].pk], EDIT_ADOPTED),
        ("activities:measuredvalue_create", [w["adopted_measure"].pk], FOLLOW_UP_ADOPTED),
        ("activities:measuredvalue_create", [w["draft_measure"].pk], FOLLOW_UP_DRAFT),
        ("activities:plan_measures", [a], PUBLIC),
        ("activities:plan_measures", [d], DRAFT_READ),
        ("finance:budget", [a], PUBLIC),
        ("finance:budget", [d], DRAFT_READ),
        ("finance:budgetentry_create", [d], EDIT_DRAFT),
        ("finance:budgetentry_update", [w["adopted_entry"].pk], EDIT_ADOPTED),
        ("finance:budgetentry_delete", [w["adopted_entry"].pk], EDIT_ADOPTED),
        (
            "finance:budgetoutcome",
            [w["adopted_entry"].pk, w["adopted_entry"].year],
            [302, 403, 403, 403, 403, 403, 200, 200],
        ),
        ("finance:costsharingkey_create", [d], EDIT_DRAFT),
        ("finance:costsharingkey_update", [w["adopted_key"].pk], EDIT_ADOPTED),
        ("finance:costsharingkey_delete", [w["adopted_key"].pk], EDIT_ADOPTED),
        ("finance:party_create", [d], EDIT_DRAFT),
        ("finance:party_update", [w["adopted_party"].pk], EDIT_ADOPTED),
        ("finance:party_delete", [w["adopted_party"].pk], EDIT_ADOPTED),
        ("finance:heading_create", [d], EDIT_DRAFT),
        ("finance:heading_update", [w["adopted_heading"].pk], EDIT_DRAFT),
        ("finance:heading_delete", [w["adopted_heading"].pk], EDIT_DRAFT),
        ("governance:cooperation_list", [], PUBLIC),
        ("governance:cooperation_bodies", [coop], PUBLIC),
        ("plans:cooperation_progress", [coop], PUBLIC),
        ("adoption:adoption_status", [a], PUBLIC),
        ("adoption:adoption_status", [d], DRAFT_READ),
        ("adoption:send_for_adoption", [d], EDIT_DRAFT),
        ("adoption:decision_create", [a], DECIDE_ADOPTED),
        ("adoption:decision_excerpt", [w["decision"].pk], PUBLIC),
        ("adoption:start_revision", [a], REVISE_ADOPTED),
        ("adoption:compare", [a], PUBLIC),
        # Reminders: a user's own setting; the e-mail's link to stop them works without signing in.
        ("reminders:settings", [], SIGNED_IN),
        ("reminders:unsubscribe", [w["unsubscribe_token"]], PUBLIC),
        ("plans:report_list", [a], PUBLIC),
        ("plans:report_list", [d], DRAFT_READ),
        ("plans:report_create", [a], REVISE_ADOPTED),
        ("plans:report_create", [d], COMPILE_ON_DRAFT),
        ("plans:report_detail", [w["frozen_report"].pk], PUBLIC),
        ("plans:report_detail", [w["report"].pk], DRAFT_READ),
        ("plans:report_update", [w["report"].pk], EDIT_DRAFT),
        ("plans:report_update", [w["frozen_report"].pk], EDIT_ADOPTED),
        ("plans:report_send", [w["report"].pk], EDIT_DRAFT),
        ("plans:report_send", [w["frozen_report"].pk], EDIT_ADOPTED),
        ("plans:report_decision_create", [w["report"].pk], EDIT_DRAFT),
        ("plans:report_decision_create", [w["frozen_report"].pk], DECIDE_ON_FROZEN),
        ("plans:report_pdf", [w["frozen_report"].pk], PUBLIC),
        ("plans:report_pdf", [w["report"].pk], DRAFT_READ),
        # Imports of tables: uploaded by the plan's editors; an import is its uploader's (and administrators').
        ("plans:import_upload", [d, "aktiviteter"], EDIT_DRAFT),
        ("plans:import_upload", [d, "budgetrader"], EDIT_DRAFT),
        ("plans:import_upload", [a, "aktiviteter"], EDIT_ADOPTED),
        ("plans:import_detail", [w["draft_import"].pk], EDIT_DRAFT),
        ("plans:import_mapping", [w["draft_import"].pk], EDIT_DRAFT),
        ("plans:import_confirm", [w["draft_import"].pk], POST_ONLY_DRAFT),
        ("plans:import_retry", [w["draft_import"].pk], POST_ONLY_DRAFT),
        ("plans:import_discard", [w["draft_import"].pk], POST_ONLY_DRAFT),
        ("local_plans:local_plan_create", [w["template"].pk], MAKE_LOCAL_PLAN),
        ("local_plans:local_plan_create", [a], NOT_A_TEMPLATE),
        ("local_plans:template_matrix", [w["template"].pk], PUBLIC),
        ("local_plans:template_matrix", [a], [404] * 8),
        # A local plan beside its template's changes: read by its readers (Alingsås's is adopted: public).
        ("local_plans:template_changes", [w["local_plan"].pk], PUBLIC),
        # Another choice on a template activity: the municipality's people, on a draft (Alingsås's is adopted).
        (
            "local_plans:local_choice_update",
            [w["local_plan"].pk, w["local_plan"].local_choices.first().lineage],
            [302, 403, 403, 403, 403, 403, 403, 302],
        ),
        ("local_plans:template_changes", [a], [404] * 8),
        # A municipality's page: its local plans and its standing on each template (readers see what they may read).
        ("local_plans:municipality", [w["local_plan"].municipality_id], PUBLIC),
        ("local_plans:municipality", [w["adopted"].cooperation.lead_organisation_id], [404] * 8),  # a region
        ("login", [], PUBLIC),
        ("healthz", [], PUBLIC),
        # The open-data API: public content only, the same for everyone; a draft is no one's (tests/api).
        *((f"api:{name}-list", [], PUBLIC) for name in API_LISTS),
        ("api:plan-detail", [a], PUBLIC),
        ("api:plan-detail", [d], [404] * 8),
        ("api:plan-version", [a, 1], PUBLIC),
        ("api:plan-version", [d, 1], [404] * 8),
        ("api:plan-budget", [a], PUBLIC),
        ("api:plan-budget", [d], [404] * 8),
        ("api:activity-detail", [w["adopted_activity"].pk], PUBLIC),
        ("api:activity-detail", [w["draft_activity"].pk], [404] * 8),
        ("api:cooperation-detail", [w["adopted"].cooperation_id], PUBLIC),
        ("api:organisation-detail", [w["adopted"].cooperation.lead_organisation_id], PUBLIC),
        ("api:body-detail", [w["body"].pk], PUBLIC),
        ("api:decision-detail", [w["adopted"].decisions.first().pk], PUBLIC),
        ("api:schema", [], PUBLIC),
        ("api:docs", [], PUBLIC),
        ("api:catalog", [], PUBLIC),
        ("api:root", [], PUBLIC),
        ("api:not_found", ["ingenting/"], [404] * 8),
        *((name, args, expected[: len(PERSONAS)]) for name, args, expected in administration_cases(w)),
    ]


@pytest.fixture
def personas(viewer, official_elsewhere, official, secretary, coordinator, administrator):
    return {
        "anonymous": None,
        "viewer": viewer,
        "official_elsewhere": official_elsewhere,
        "official": official,
        "secretary": secretary,
        "other_coordinator": make_user("h2o-samordnare", "coordinator", "Oskarshamns kommun"),
        "coordinator": coordinator,
        "administrator": administrator,
    }


def test_every_url_answers_every_persona_as_expected(client, world, personas, settings, tmp_path):
    from plans.pdf import store_plan_pdf
    from plans.report_pdf import store_missing_report_pdfs

    settings.MEDIA_ROOT = tmp_path / "media"
    store_plan_pdf(world["adopted"])  # as at its adoption: the eight downloads read it, not render it
    store_missing_report_pdfs()  # the frozen report's, as its worker makes it
    failures = []
    for name, args, expected in cases(world):
        url = reverse(name, args=args)
        for persona, code in zip(PERSONAS, expected, strict=True):
            client.logout()
            if personas[persona] is not None:
                client.force_login(personas[persona])
            answer = client.get(url).status_code
            if answer != code:
                failures.append(f"{persona:>18} GET {url} ({name}): {answer}, expected {code}")
    assert not failures, "\n".join(failures)


def test_the_administration_answers_the_cooperations_administrators_as_expected(
    client, world, cooperation_administrator
):
    """Östergötland's administrator is let in; VästKom's administrator only to their own list."""
    others = {
        "cooperation_administrator": cooperation_administrator,
        "other_administrator": make_user("vastkom-administrator", "administrator", "VästKom"),
    }
    failures = []
    for name, args, expected in administration_cases(world):
        url = reverse(name, args=args)
        for persona, code in zip(ADMINISTRATION_PERSONAS, expected, strict=True):
            if persona not in others:
                continue  # the main matrix asks them
            client.force_login(others[persona])
            answer = client.get(url).status_code
            if answer != code:
                failures.append(f"{persona:>26} GET {url} ({name}): {answer}, expected {code}")
    assert not failures, "\n".join(failures)


def test_the_matrix_names_every_url_of_the_product(world):
    named = {name for name, _, _ in cases(world)}
    ours = set()
    namespaces = ("plans", "activities", "finance", "governance", "reminders", "administration", "local_plans", "api")
    for namespace in namespaces:
        resolver = get_resolver().namespace_dict[namespace][1]
        ours |= {f"{namespace}:{key}" for key in resolver.reverse_dict if isinstance(key, str)}
    assert ours - named == set()


# --- No page offers what its reader is refused (issue 19, item 6: one rule for the view and its links) ---

# Addresses whose request changes the client itself (signs out, sets the language): not asked.
NOT_ASKED = {"logout", "choose_language"}
# A page's rows offer the same view for each of their objects (49 municipalities, every activity's
# "edit"): the first few new addresses of each view on a page are asked, which keeps the test short.
ASKED_PER_VIEW = 3


def refused(response) -> bool:
    """Refused: forbidden, not found, or (for an anonymous visitor) sent to sign in first."""
    if response.status_code in (403, 404):
        return True
    return response.status_code == 302 and urlsplit(response["Location"]).path == reverse("login")


# Attributes that hold ids and addresses: an id printed the way numbers are ("101 001") breaks them.
NAMING = {
    "id",
    "for",
    "href",
    "action",
    "formaction",
    "headers",
    "name",
    "list",
    "aria-labelledby",
    "aria-describedby",
    "aria-controls",
    "data-id",
}
GROUPED = re.compile(r"\d[\xa0 ]\d{3}\b")
# A year is never grouped ("2 026"), in a page's title, headings and table heads.
HEADS = {"title", "h1", "h2", "h3", "h4", "caption", "th", "legend", "summary"}
GROUPED_YEAR = re.compile(r"\b(?:1[\xa0 ]9|2[\xa0 ]0)\d\d\b")


class Offers(HTMLParser):
    """What a page offers: its links (GET), its forms' actions and its buttons' formaction (with their
    method); and where it prints an id or a year as a number (``misprinted``)."""

    def __init__(self):
        super().__init__()
        self.offers = []
        self.method = "GET"
        self.misprinted = []
        self.heads = 0

    def handle_endtag(self, tag):
        if tag in HEADS:
            self.heads = max(self.heads - 1, 0)

    def handle_data(self, data):
        if self.heads and GROUPED_YEAR.search(data):
            self.misprinted.append(f"year {data.strip()!r}")

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in HEADS:
            self.heads += 1
        self.misprinted += [
            f'{tag} {name}="{value}"' for name, value in attrs if name in NAMING and value and GROUPED.search(value)
        ]
        if tag == "a" and attributes.get("href"):
            self.offers.append(("link", "GET", attributes["href"]))
        elif tag == "form":
            self.method = (attributes.get("method") or "get").upper()
            if attributes.get("action"):
                self.offers.append(("form", self.method, attributes["action"]))
        elif tag in ("button", "input") and attributes.get("formaction"):
            method = (attributes.get("formmethod") or self.method).upper()
            self.offers.append(("button", method, attributes["formaction"]))


def offered_paths(html: str, page: str, misprinted: list | None = None):
    """The product's addresses ``html`` (at ``page``) offers: (kind, method, path, URL name); what it
    prints as a number where an id or a year belongs is added to ``misprinted``."""
    parser = Offers()
    parser.feed(html)
    if misprinted is not None:
        misprinted += parser.misprinted
    for kind, method, href in parser.offers:
        parts = urlsplit(urljoin(page, href))
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
            continue
        try:
            match = resolve(parts.path)
        except Resolver404:
            continue  # static and stored files
        if match.namespace == "admin" or match.url_name in NOT_ASKED:
            continue
        yield kind, method, parts.path, match.view_name


class Asker:
    """Asks each address once. A GET answers for links and for forms whose view has a page; a view that
    takes POST only checks its reader first and then answers 405 to a GET, so there a POST without data
    tells whether it refuses (in a transaction rolled back: a POST writes)."""

    def __init__(self, client):
        self.client = client
        self.answers = {}
        self.posts = 0

    def refuses(self, method, path) -> bool:
        if (method, path) not in self.answers:
            response = self.client.get(path)
            if method == "POST" and response.status_code == 405:
                self.posts += 1
                with transaction.atomic():
                    response = self.client.post(path)
                    transaction.set_rollback(True)
            self.answers[method, path] = refused(response)
        return self.answers[method, path]


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_page_offers_a_link_or_a_button_its_reader_is_refused(client, world, personas, persona, settings, tmp_path):
    """Every page the persona may read (200), parsed: each link, form and button on it that leads to an
    address of the product is asked as that persona and is not refused (issue 19, item 6)."""
    settings.MEDIA_ROOT = tmp_path / "media"  # a PDF asked for is not there: its status page answers
    if personas[persona] is not None:
        client.force_login(personas[persona])
    index = PERSONAS.index(persona)
    pages = dict.fromkeys(reverse(name, args=args) for name, args, expected in cases(world) if expected[index] == 200)
    asker = Asker(client)
    failures, parsed = [], 0
    for page in pages:
        response = client.get(page)
        asker.answers["GET", page] = refused(response)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        parsed += 1
        asked, misprinted = Counter(), []
        for kind, method, path, name in offered_paths(response.content.decode(), page, misprinted):
            if (method, path) not in asker.answers:
                asked[name] += 1
                if asked[name] > ASKED_PER_VIEW:
                    continue
            if asker.refuses(method, path):
                failures.append(f"{page} offers a {kind} to {method} {path} ({name}): {asker.answers[method, path]}")
        failures += [f"{page} prints an id or a year as a number: {where}" for where in misprinted]
    assert parsed > 10 and len(asker.answers) > 50, "the pages offered too little to be a check"
    assert not failures, "\n".join(dict.fromkeys(failures))


def test_the_offers_check_finds_a_refused_link_and_a_refused_form(client, world, viewer):
    """The check above can fail: a viewer offered the draft's edit page and a move of its section."""
    client.force_login(viewer)
    edit = reverse("plans:actionplan_update", args=[world["draft"].pk])
    move = reverse("plans:section_move", args=[world["draft_section"].pk])
    html = f'<a href="{edit}">Redigera</a><form method="post" action="{move}"><button>Flytta</button></form>'
    offers = list(offered_paths(html, "/"))
    assert [(kind, method) for kind, method, _, _ in offers] == [("link", "GET"), ("form", "POST")]
    asker = Asker(client)
    assert all(asker.refuses(method, path) for _, method, path, _ in offers)
    client.logout()
    assert Asker(client).refuses("GET", edit)  # anonymous: sent to sign in


def test_the_check_finds_an_id_or_a_year_printed_as_a_number():
    misprinted = []
    html = '<h1>Årlig uppföljning 2\xa0026</h1><a href="#section-101\xa0001">Avsnitt</a><p>1\xa0018\xa0387 kr</p>'
    list(offered_paths(html, "/", misprinted))
    assert misprinted == ["year " + repr("Årlig uppföljning 2\xa0026"), 'a href="#section-101\xa0001"']


# --- Every field of a form is on its page: a field left out of a template posts as empty and overwrites
# what was stored (a checkbox missing from the activity form turned "every member" off on each save). ---


def unrendered_fields(form, html: str) -> list[str]:
    missing = []
    for bound in form:
        names = [bound.html_name]
        if hasattr(bound.field.widget, "widgets"):  # a MultiWidget posts one value per part
            names = [f"{bound.html_name}{suffix}" for suffix in bound.field.widget.widgets_names]
        if not any(f'name="{name}"' in html for name in names):
            missing.append(bound.html_name)
    return missing


@pytest.mark.parametrize("persona", ["coordinator", "administrator"])
def test_every_form_shows_every_field_it_saves(client, world, personas, persona):
    client.force_login(personas[persona])
    column = PERSONAS.index(persona)
    failures, forms_seen = [], 0
    for name, args, expected in cases(world):
        url = reverse(name, args=args)
        view_class = getattr(resolve(url).func, "view_class", None)
        if expected[column] != 200 or not (view_class and issubclass(view_class, FormMixin)):
            continue  # only the pages that show a form (the class views with one: every edit page)
        response = client.get(url)
        form = response.context.get("form") if response.context else None
        if response.status_code != 200 or form is None or not hasattr(form, "fields"):
            continue
        forms_seen += 1
        if missing := unrendered_fields(form, response.content.decode()):
            failures.append(f"{name} {args}: {', '.join(missing)}")
    assert forms_seen > 10  # the coordinator's and the administrator's edit pages were asked
    assert not failures, "\n".join(failures)
