"""Who may record decisions for which body."""

from .models import Body, Membership

DECIDING_ROLES = (Membership.Role.OFFICIAL, Membership.Role.SECRETARY)


def bodies_user_may_record_for(user):
    """Bodies of the user's own organisations (officials, secretaries), and the bodies of the
    cooperations whose plans the user coordinates (coordinators); administrators: all."""
    if not user.is_authenticated:
        return Body.objects.none()
    if user.is_superuser:
        return Body.objects.all()
    own = Membership.objects.filter(user=user, role__in=DECIDING_ROLES).values("organisation")
    coordinated = Membership.objects.filter(user=user, role=Membership.Role.COORDINATOR).values(
        "organisation__cooperations"
    )
    return Body.objects.filter(organisation__in=own) | Body.objects.filter(cooperation__in=coordinated)


def can_record_decision_for(user, body) -> bool:
    return bodies_user_may_record_for(user).filter(pk=body.pk).exists()
