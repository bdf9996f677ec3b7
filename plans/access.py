"""Who may read and who may change plans: the one place these rules live."""

from governance.models import Membership

from .models import ActionPlan


def plans_visible_to(user):
    """Public plans, plus every plan of the cooperations the user's organisations belong to."""
    return ActionPlan.objects.visible_to(user)


def can_edit_plans_of(user, cooperation) -> bool:
    """Coordinators of a member organisation of the cooperation, and administrators."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(
        user=user, role=Membership.Role.COORDINATOR, organisation__cooperations=cooperation
    ).exists()
