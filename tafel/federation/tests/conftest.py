"""An in-process federation: the hub's views and this database playing two houses.

The test database is house B ("zvh-b", ZVH Utrecht), which publishes and answers. A check is asked as house A
("zvh-a") by switching the house settings around the call (`as_house_a`). The two edges of the machine — the
house's HTTP call to the hub and the hub's call to a house — are replaced by calls into the views, so every
signature, nonce and audit row is the real one; tests/federation runs the same over real sockets."""

from __future__ import annotations

import contextlib
from concurrent.futures import Future
from urllib.parse import urlsplit

import pytest
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone

from tafel.federation import client, protocol
from tafel_hub import services as hub_services
from tafel_hub import views as hub_views
from tafel_hub.models import House

HUB_URL = "http://hub.test"
SECRET_A = "a" * 40
SECRET_B = "b" * 40
FEDERATION_KEY = "f" * 40


class SyncExecutor:
    """Runs the hub's fan-out in the test's thread (and so in the test's database transaction)."""

    def __init__(self, max_workers=None):
        pass

    def submit(self, fn, *args, **kwargs):
        future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:  # noqa: BLE001 (a future carries whatever the call raised)
            future.set_exception(exc)
        return future

    def shutdown(self, wait=True, cancel_futures=False):
        pass


def hub_transport(url, body, headers, timeout):
    path = urlsplit(url).path
    headers = {k: v for k, v in headers.items() if k.lower() != "content-type"}
    request = RequestFactory().post(path, data=body, content_type="application/json", headers=headers)
    view = {"/v1/check": hub_views.check, "/v1/publish": hub_views.publish}[path]
    response = view(request)
    return client.RawResponse(response.status_code, response.content, response.get(protocol.HEADER_SIGNATURE, ""))


def house_b_transport(url, body, headers, timeout):
    headers = {k: v for k, v in headers.items() if k.lower() != "content-type"}
    with override_settings(TAFEL_FEDERATION_HOUSE_CODE="zvh-b", TAFEL_FEDERATION_HOUSE_SECRET=SECRET_B):
        response = Client().post(urlsplit(url).path, data=body, content_type="application/json", headers=headers)
    return response.status_code, response.content, response.get(protocol.HEADER_SIGNATURE, "")


@pytest.fixture
def federation(db, settings, monkeypatch):
    settings.TAFEL_FEDERATION_HUB_URL = HUB_URL
    settings.TAFEL_FEDERATION_HOUSE_CODE = "zvh-b"
    settings.TAFEL_FEDERATION_HOUSE_SECRET = SECRET_B
    settings.TAFEL_FEDERATION_KEY = FEDERATION_KEY
    settings.TAFEL_FEDERATION_PUBLISH = True
    now = timezone.now()
    House.objects.create(
        code="zvh-a",
        name="ZVH Amsterdam",
        secret=SECRET_A,
        answer_url="http://a.test/federatie/v1/antwoord",
        joined_at=now,
    )
    House.objects.create(
        code="zvh-b",
        name="ZVH Utrecht",
        secret=SECRET_B,
        answer_url="http://b.test/federatie/v1/antwoord",
        joined_at=now,
    )
    monkeypatch.setattr(client, "transport", hub_transport)
    monkeypatch.setattr(hub_services, "transport", house_b_transport)
    monkeypatch.setattr(hub_services, "ThreadPoolExecutor", SyncExecutor)
    return settings


@contextlib.contextmanager
def as_house_a():
    with override_settings(TAFEL_FEDERATION_HOUSE_CODE="zvh-a", TAFEL_FEDERATION_HOUSE_SECRET=SECRET_A):
        yield
