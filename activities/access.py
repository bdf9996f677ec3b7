"""Who may record what happens to an activity after its plan is written: the one place these rules live.

Two records, two rules:

- **Progress** (``FollowUp``) of the activity as a whole is recorded by those responsible for it: the
  coordinators of its plan's cooperation (and administrators), and the officials and coordinators
  of the organisations that give effort to it (``EffortShare.organisation``: the parties named as
  doing the work). ``owner`` ("ansvarig") is free text and grants nothing.
- **Status per municipality** (``MunicipalStatus``) on an activity every member carries out is
  recorded by each member municipality's own officials and coordinators, for their own
  municipality only; the cooperation's coordinators (and administrators) record for any member.
  A municipality reports its own status there, not the whole activity's progress: thirteen
  municipalities would otherwise overwrite one another's phase of the one activity.
"""

from governance.models import Membership, Organisation
from plans.access import can_edit_plan

# The roles that act for their organisation in the follow-up (secretaries and viewers do not).
REPORTING_ROLES = (Membership.Role.OFFICIAL, Membership.Role.COORDINATOR)


def may_record_progress(user, activity) -> bool:
    """Whether ``user`` may record ``activity``'s progress (a follow-up): see the module's rule."""
    if not user.is_authenticated:
        return False
    if can_edit_plan(user, activity.plan):
        return True
    responsible = activity.effort_shares.filter(organisation__isnull=False).values("organisation")
    return Membership.objects.filter(user=user, role__in=REPORTING_ROLES, organisation__in=responsible).exists()


def municipalities_reported_by(user, plan):
    """The member municipalities of ``plan``'s cooperation whose status ``user`` may record: their own
    (as an official or coordinator of it); every member for the cooperation's coordinators."""
    members = plan.cooperation.members.municipalities()
    if plan.municipality_id:  # a local plan is its municipality's own
        members = members.filter(pk=plan.municipality_id)
    if not user.is_authenticated:
        return Organisation.objects.none()
    if can_edit_plan(user, plan):
        return members
    own = Membership.objects.filter(user=user, role__in=REPORTING_ROLES).values("organisation")
    return members.filter(pk__in=own)
