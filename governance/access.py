"""Who may record decisions for which body."""

from django.db.models import Q

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


def bodies_with_a_say_on(plan, user):
    """The user's bodies that take part in ``plan``'s adoption at some time: the bodies on its
    route and the member municipalities' bodies."""
    on_route = Q(pk__in=plan.adoption_steps.values("body"))
    if plan.municipality_id:  # a local plan: its municipality's bodies alone
        return bodies_user_may_record_for(user).filter(on_route | Q(organisation=plan.municipality_id)).distinct()
    municipal = Q(organisation__in=plan.municipalities_to_decide.all()) | Q(
        organisation__in=plan.cooperation.members.municipalities()
    )
    return bodies_user_may_record_for(user).filter(on_route | municipal).distinct()


def bodies_deciding_on(plan, user):
    """Of those, the bodies that may record a decision on ``plan`` now.

    While the plan is out for adoption: all of them. Once it is adopted the cooperation's bodies
    are done with it (it changes only through a revision); the municipalities' bodies go on
    deciding on it, which never touches the plan. Nobody decides on a draft or a superseded plan.
    """
    if plan.status == plan.Status.OUT_FOR_ADOPTION:
        return bodies_with_a_say_on(plan, user)
    if plan.status == plan.Status.ADOPTED and plan.municipality_id:
        return Body.objects.none()  # a local plan's own bodies are done with it once adopted
    if plan.status == plan.Status.ADOPTED:
        return bodies_with_a_say_on(plan, user).filter(cooperation=None)
    return Body.objects.none()
