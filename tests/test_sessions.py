"""Sessions and users are read from the database by every request that has a session, with a
statement built once (ehalsa.db.get_by_pk): what it reads is what the ORM reads."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.utils import timezone

from ehalsa.db import get_by_pk
from ehalsa.login import ThrottledModelBackend
from ehalsa.sessions import SessionStore

pytestmark = pytest.mark.django_db


def field_values(instance):
    return {field.attname: getattr(instance, field.attname) for field in type(instance)._meta.concrete_fields}


def test_a_user_is_read_as_the_orm_reads_it(viewer):
    type(viewer).objects.filter(pk=viewer.pk).update(last_login=timezone.now(), first_name="Åsa", is_staff=True)
    read = get_by_pk(get_user_model(), viewer.pk)
    orm = get_user_model().objects.get(pk=viewer.pk)
    assert field_values(read) == field_values(orm)
    assert read.last_login.tzinfo is not None and read.is_staff is True and not read._state.adding
    assert get_by_pk(get_user_model(), 10**9) is None


def test_a_deactivated_user_is_nobody(viewer):
    backend = ThrottledModelBackend()
    assert backend.get_user(viewer.pk) == viewer
    type(viewer).objects.filter(pk=viewer.pk).update(is_active=False)
    assert backend.get_user(viewer.pk) is None


def test_a_session_is_read_until_it_expires_or_is_deleted():
    store = SessionStore()
    store["chosen"] = "å"
    store.create()
    assert SessionStore(store.session_key)["chosen"] == "å"
    assert get_by_pk(Session, store.session_key).expire_date == Session.objects.get(pk=store.session_key).expire_date
    Session.objects.filter(pk=store.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))
    expired = SessionStore(store.session_key)
    assert "chosen" not in expired and expired.session_key is None
    Session.objects.filter(pk=store.session_key).update(expire_date=timezone.now() + timedelta(hours=1))
    assert SessionStore(store.session_key)["chosen"] == "å"
    Session.objects.all().delete()  # signed out, in whatever process
    assert "chosen" not in SessionStore(store.session_key)
