"""Who may read and who may change plans: the one place these rules live."""

from governance.models import Cooperation, Membership, Organisation

from .models import ActionPlan


def plans_visible_to(user):
    """Public plans, plus every plan of the cooperations the user's organisations belong to."""
    return ActionPlan.objects.visible_to(user)


def plans_listed_for(user):
    """What the plan list, the start page and the activity search cover: the readable plans of the
    cooperations themselves (templates included). A municipality's local plans, copies of a template
    with its choices, are shown from their template (the municipalities' choices) instead: 49 copies of
    every template activity would bury the rest."""
    return plans_visible_to(user).filter(municipality__isnull=True)


def readership(user) -> str:
    """Names what ``plans_visible_to(user)`` gives: readers with the same readership read the same
    plans (anyone: the public ones; a member: those and their cooperations' drafts)."""
    if not user.is_authenticated:
        return "public"
    if user.is_superuser:
        return "all"
    cooperations = Cooperation.objects.filter(members__memberships__user=user).values_list("pk", flat=True)
    return "public+" + ",".join(map(str, sorted(set(cooperations))))


def cooperations_coordinated_by(user):
    """The cooperations whose plans the user edits: those of the organisations they coordinate for."""
    if not user.is_authenticated:
        return Cooperation.objects.none()
    if user.is_superuser:
        return Cooperation.objects.all()
    return Cooperation.objects.filter(
        members__memberships__user=user, members__memberships__role=Membership.Role.COORDINATOR
    ).distinct()


def may_create_plans(user) -> bool:
    """Who is offered "New action plan" and may open it: the coordinators of some cooperation."""
    return cooperations_coordinated_by(user).exists()


def can_edit_plans_of(user, cooperation) -> bool:
    """Coordinators of a member organisation of the cooperation, and administrators."""
    return cooperations_coordinated_by(user).filter(pk=cooperation.pk).exists()


# --- Template plans and local plans ------------------------------------------------------------

# The roles that act for their municipality on its local plan: they make it, edit it and send it.
LOCAL_PLAN_ROLES = (Membership.Role.OFFICIAL, Membership.Role.COORDINATOR)


def municipalities_acted_for(user):
    """The municipalities whose local plans ``user`` makes and edits: those they are an official or a
    coordinator of; administrators: every municipality."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    municipalities = Organisation.objects.municipalities()
    if user.is_superuser:
        return municipalities
    own = Membership.objects.filter(user=user, role__in=LOCAL_PLAN_ROLES).values("organisation")
    return municipalities.filter(pk__in=own)


def local_plan_makers(user, template):
    """The member municipalities of ``template``'s cooperation for which ``user`` may make a local
    plan from it: none unless the template is published (adopted)."""
    if not (template.is_template and template.status == ActionPlan.Status.ADOPTED):
        return Organisation.objects.none()
    return municipalities_acted_for(user).filter(cooperations=template.cooperation_id)


def may_make_local_plan(user, template) -> bool:
    """Whether "Make our local plan" is offered and its page opens."""
    return local_plan_makers(user, template).exists()


def can_edit_plan(user, plan) -> bool:
    """Who changes ``plan`` (its content while a draft, its route): a local plan's municipality's
    officials and coordinators; any other plan's cooperation's coordinators; administrators."""
    if plan.municipality_id:
        return municipalities_acted_for(user).filter(pk=plan.municipality_id).exists()
    return can_edit_plans_of(user, plan.cooperation)
