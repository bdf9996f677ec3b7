import pytest

from activities.models import Activity, LikaIndicator
from plans.models import ActionPlan
from tests.helpers import make_activity, make_plan

SECRET = "HEMLIGT-UTKAST"


@pytest.fixture
def unpublished(draft):
    """What the API must never show: a draft (Östergötland's next plan) and a plan out for adoption,
    each with an activity whose title is marked, mapped to a LIKA indicator public activities have too."""
    lika = LikaIndicator.objects.filter(activities__plan__status=ActionPlan.Status.ADOPTED).first()
    in_draft = make_activity(draft, number="99", title=f"{SECRET} insats i utkastet", start_year=2018, end_year=2019)
    in_draft.lika_indicators.add(lika)
    out = make_plan(title=f"{SECRET} plan ute på antagande", first_year=2018, last_year=2019)
    out_activity = make_activity(out, number="1", title=f"{SECRET} insats i planen ute", start_year=2018)
    ActionPlan.objects.filter(pk=out.pk).update(status=ActionPlan.Status.OUT_FOR_ADOPTION)
    return {
        "plans": {draft.pk, out.pk},
        "activities": {in_draft.pk, out_activity.pk},
        "lika": lika,
        "draft": draft,
        "activity": Activity.objects.get(pk=in_draft.pk),
    }
