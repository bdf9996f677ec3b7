"""A status is shown the same way everywhere (issue 19, item 4): a badge with its word and a colour
that meets WCAG AA contrast, never the colour alone (ehalsa.badges)."""

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from activities.models import Activity, FollowUp, MunicipalStatus, Phase
from ehalsa.badges import TONES
from governance.models import Decision, Invitation
from plans.import_models import TableImport
from plans.models import ActionPlan, PdfJob
from plans.report_models import ReportDecision

CSS = Path(__file__).resolve().parent.parent / "static" / "css" / "ehalsa.css"

# Every status, phase and decision kind a page shows, by the model field that holds it.
CHOICES = [
    (ActionPlan, "status", ActionPlan.Status),
    (Activity, "status", Activity.Status),
    (MunicipalStatus, "status", MunicipalStatus.Status),
    (Decision, "kind", Decision.Kind),
    (ReportDecision, "kind", ReportDecision.Kind),
    (TableImport, "status", TableImport.Status),
    (PdfJob, "status", PdfJob.Status),
]
CASES = [(model, field, value) for model, field, choices in CHOICES for value in choices.values]


def test_every_status_value_has_a_tone_decided():
    values = {value for _model, _field, choices in CHOICES for value in choices.values}
    values |= set(Phase.values) | set(Invitation.Status.values)
    assert values - set(TONES) == set()


@pytest.mark.parametrize(("model", "field", "value"), CASES, ids=[f"{m.__name__}.{v}" for m, _f, v in CASES])
def test_a_status_badge_shows_the_word_and_its_tone(model, field, value):
    obj = model(**{field: value})
    with translation.override("sv"):
        label = str(getattr(obj, f"get_{field}_display")())
        html = Template("{% load ehalsa %}{% status_badge obj field %}").render(Context({"obj": obj, "field": field}))
    assert label.strip()
    assert html == f'<span class="badge badge--{TONES[value]}">{label}</span>'


def test_a_phase_and_an_invitation_show_as_badges_too():
    with translation.override("sv"):
        html = Template('{% load ehalsa %}{% status_badge follow_up "phase" %}').render(
            Context({"follow_up": FollowUp(phase=Phase.ONGOING)})
        )
        assert html == '<span class="badge badge--info">Pågår</span>'
        invitation = Invitation(accepted_at="2026-11-30T10:00Z")
        assert Template("{% load ehalsa %}{% status_badge i %}").render(Context({"i": invitation})) == (
            '<span class="badge badge--ok">Accepterad</span>'
        )


def test_a_mark_that_is_no_choice_shows_as_a_badge_of_its_tone():
    html = Template('{% load ehalsa %}{% badge "late" "försenad" %}').render(Context())
    assert html == '<span class="badge badge--warn">försenad</span>'


def test_a_badge_escapes_its_text():
    html = Template("{% load ehalsa %}{% badge 'stale' text %}").render(Context({"text": "<b>x</b>"}))
    assert html == '<span class="badge badge--neutral">&lt;b&gt;x&lt;/b&gt;</span>'


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted([luminance(a), luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("tone", sorted(set(TONES.values())))
def test_each_tone_meets_wcag_aa_contrast(tone):
    rule = re.search(rf"\.badge--{tone} \{{([^}}]*)\}}", CSS.read_text())
    assert rule, f"no CSS rule for .badge--{tone}"
    colour = re.search(r"(?<![-\w])color: (#[0-9a-f]{6})", rule.group(1)).group(1)
    background = re.search(r"background: (#[0-9a-f]{6})", rule.group(1)).group(1)
    assert contrast(colour, background) >= 4.5
    assert contrast(colour, "#ffffff") >= 4.5  # its border (currentColor) against the page


def test_the_plan_list_shows_each_status_as_a_badge(client, plan_2016, plan_2014):
    html = client.get("/planer/").content.decode()
    assert '<span class="badge badge--ok">Antagen</span>' in html
    assert '<span class="badge badge--neutral">Ersatt</span>' in html


def test_the_plan_page_shows_its_status_and_decisions_as_badges(client, plan_2016):
    html = client.get(plan_2016.get_absolute_url()).content.decode()
    header = html.split('class="page-header"')[1].split("</header>")[0]
    assert '<span class="badge badge--ok">Antagen</span>' in header
    adoption = html.split('id="antagande"')[1].split("</section>")[0]
    assert re.search(r'<span class="badge badge--(ok|info|danger)">(Anta|Ställa sig bakom|Föreslå)', adoption)
    assert 'class="status' not in html and 'class="tag late' not in html


def test_the_user_list_shows_whether_an_account_is_active_as_a_badge(client, cooperation_administrator, ostergotland):
    get_user_model().objects.filter(username="lasare").update(is_active=False)
    client.force_login(cooperation_administrator)
    html = client.get(reverse("administration:user_list", args=[ostergotland.pk])).content.decode()
    assert '<span class="badge badge--ok">Aktiv</span>' in html
    assert '<span class="badge badge--danger">Inaktiverad</span>' in html
