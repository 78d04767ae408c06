"""The session store: Django's database sessions, read with SQL composed once (tafel.core.sessions)."""

from __future__ import annotations

import datetime

from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from tafel.core.sessions import SessionStore


def test_the_store_is_djangos_database_store_and_reads_what_it_wrote(db, django_assert_num_queries):
    assert issubclass(SessionStore, DjangoStore)
    written = DjangoStore()
    written["last_seen"] = 1_700_000_000
    written["_auth_user_id"] = "7"
    written.create()

    with django_assert_num_queries(1):
        read = SessionStore(written.session_key)
        assert dict(read.items()) == {"last_seen": 1_700_000_000, "_auth_user_id": "7"}
    assert read.session_key == written.session_key


def test_an_unknown_or_expired_session_starts_empty_and_forgets_its_key(db):
    unknown = SessionStore("x" * 32)
    assert unknown.get("_auth_user_id") is None and unknown.session_key is None

    expired = DjangoStore()
    expired["_auth_user_id"] = "7"
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    read = SessionStore(expired.session_key)
    assert read.get("_auth_user_id") is None and read.session_key is None


def test_a_changed_session_is_saved_under_its_key(db):
    store = SessionStore()
    store["last_seen"] = 1
    store.create()
    again = SessionStore(store.session_key)
    again["last_seen"] = 2
    again.save()
    assert SessionStore(store.session_key)["last_seen"] == 2
