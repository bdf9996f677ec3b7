"""E-mail sent by workers (``manage.py db_worker``), never in a web request: invitations."""

from django.conf import settings
from django.tasks import task
from django.utils import translation

from . import invitations


@task()
def send_invitation(invitation_id: int) -> str:
    """Send an invitation's e-mail with a new one-time link (``governance.invitations.invitation_send``).

    A failure is recorded on the invitation (its administrator sees it and may send it again) and
    fails the task."""
    with translation.override(settings.LANGUAGE_CODE):
        return invitations.invitation_send(invitation_id=invitation_id)
