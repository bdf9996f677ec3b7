"""Who may read and who may change plans: the one place these rules live."""

from governance.models import Cooperation, Membership

from .models import ActionPlan


def plans_visible_to(user):
    """Public plans, plus every plan of the cooperations the user's organisations belong to."""
    return ActionPlan.objects.visible_to(user)


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
