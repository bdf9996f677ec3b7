"""Who may record decisions for which body, and who administers which cooperation."""

from django.db.models import Q

from .models import Body, Cooperation, Membership, Organisation

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


# --- Administering cooperations ------------------------------------------------------------------
# One rule, for the views and for the links that lead to them: a user administers a cooperation when
# they are a superuser or hold the administrator role in its lead organisation. Whoever holds that
# role in any organisation may start a cooperation led by it (and then administers it).

ADMINISTRATOR = Membership.Role.ADMINISTRATOR


def organisations_administered_by(user):
    """The organisations in which ``user`` holds the administrator role."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user, memberships__role=ADMINISTRATOR).distinct()


def cooperations_user_administers(user):
    if not user.is_authenticated:
        return Cooperation.objects.none()
    if user.is_superuser:
        return Cooperation.objects.all()
    return Cooperation.objects.filter(lead_organisation__in=organisations_administered_by(user))


def may_administer(user, cooperation) -> bool:
    return cooperations_user_administers(user).filter(pk=cooperation.pk).exists()


def may_create_cooperation(user) -> bool:
    """Superusers, and administrators of an organisation (which will lead it)."""
    return user.is_authenticated and (user.is_superuser or organisations_administered_by(user).exists())


# Whoever may start a cooperation reaches the administration (and sees the links to it).
may_use_administration = may_create_cooperation


def lead_organisations_for(user):
    """The organisations ``user`` may make a cooperation's lead organisation."""
    if user.is_authenticated and user.is_superuser:
        return Organisation.objects.all()
    return organisations_administered_by(user)


def organisations_user_manages(user):
    """The organisations in which ``user`` gives and takes roles and keeps the bodies: those taking part
    (as members or lead) in cooperations they administer, and in no cooperation they do not. A
    municipality of two cooperations is managed by whoever administers both (or a superuser): adding an
    organisation as a member gives no say over its people or its bodies."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    cooperations = cooperations_user_administers(user)
    others = Cooperation.objects.exclude(pk__in=cooperations.values("pk"))
    taking_part = Q(cooperations__in=cooperations) | Q(led_cooperations__in=cooperations)
    elsewhere = Q(cooperations__in=others) | Q(led_cooperations__in=others)
    return Organisation.objects.filter(taking_part).exclude(pk__in=Organisation.objects.filter(elsewhere)).distinct()


def may_keep_body(user, body) -> bool:
    """Whether ``user`` may change or remove ``body``: a cooperation's own body, its administrators; an
    organisation's, those who manage the organisation."""
    if body.cooperation_id:
        return may_administer(user, body.cooperation)
    return organisations_user_manages(user).filter(pk=body.organisation_id).exists()


def may_grant(user, organisation, role) -> bool:
    """Whether ``user`` may give (or take) ``role`` in ``organisation``.

    In the organisations they manage, any role but one: the administrator role in an organisation
    administers every cooperation that organisation leads, so only someone who administers all of
    them may give it (or take it away)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if not organisations_user_manages(user).filter(pk=organisation.pk).exists():
        return False
    if role != ADMINISTRATOR:
        return True
    led = Cooperation.objects.filter(lead_organisation=organisation)
    return not led.exclude(pk__in=cooperations_user_administers(user).values("pk")).exists()


def may_change_membership(user, membership) -> bool:
    return may_grant(user, membership.organisation, membership.role)


def may_deactivate(user, target) -> bool:
    """Never oneself, nor a superuser (unless one is); otherwise a user all of whose roles ``user``
    may take away (so an administrator reaches only the users of their own cooperations)."""
    if not user.is_authenticated or target.pk == user.pk:
        return False
    if user.is_superuser:
        return True
    if target.is_superuser:
        return False
    memberships = list(target.memberships.select_related("organisation"))
    return bool(memberships) and all(may_change_membership(user, membership) for membership in memberships)
