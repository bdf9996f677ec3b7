"""What an organisation's leaving a cooperation affects, told before it leaves.

Members are picked in the cooperation administration (here, in governance); most of what refers to
a member lives in the apps above (plans, finance), which register a finder here as they register
their plan parts. A finder takes the cooperation and the leaving organisations and yields
``(organisation, sentence)`` pairs. Nothing is changed by leaving: adopted plans keep the members
they were adopted with, and what unfinished plans say of the organisation stays for their
coordinators to change.
"""

from collections.abc import Callable, Iterable

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Cooperation, Membership, Organisation

Finder = Callable[[Cooperation, list[Organisation]], Iterable[tuple[Organisation, str]]]
FINDERS: list[Finder] = []


def register(finder: Finder) -> Finder:
    if finder not in FINDERS:
        FINDERS.append(finder)
    return finder


def consequences(cooperation: Cooperation, leaving: list[Organisation]) -> list[tuple[Organisation, list[str]]]:
    """Each leaving organisation that something refers to, with what changes when it leaves."""
    found: dict[int, list[str]] = {organisation.pk: [] for organisation in leaving}
    for finder in [users_lose_access, *FINDERS]:
        for organisation, sentence in finder(cooperation, leaving):
            found[organisation.pk].append(sentence)
    return [(organisation, found[organisation.pk]) for organisation in leaving if found[organisation.pk]]


def users_lose_access(cooperation: Cooperation, leaving: list[Organisation]):
    """The organisation's people read the cooperation's drafts, and its coordinators write its plans,
    only as long as it is a member (active users who belong to no member that stays)."""
    staying = cooperation.members.exclude(pk__in=[organisation.pk for organisation in leaving])
    for organisation in leaving:
        count = (
            Membership.objects.filter(organisation=organisation, user__is_active=True)
            .exclude(user__memberships__organisation__in=staying)
            .values("user")
            .distinct()
            .count()
        )
        if count:
            yield (
                organisation,
                ngettext(
                    "%(count)d user at the organisation can no longer read the cooperation's drafts "
                    "or work on its plans.",
                    "%(count)d users at the organisation can no longer read the cooperation's drafts "
                    "or work on its plans.",
                    count,
                )
                % {"count": count},
            )


def plan_titles(plans) -> str:
    return ", ".join(_("“%(title)s”") % {"title": plan.title} for plan in plans)
