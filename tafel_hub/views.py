"""The hub's three endpoints. Signed JSON in, signed JSON out; errors as {"code": ...} with a 4xx status."""

from __future__ import annotations

import json

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from tafel.federation import protocol
from tafel_hub import services


def _signed(request, house, data: dict, status: int = 200) -> HttpResponse:
    body = json.dumps(data).encode()
    response = HttpResponse(body, status=status, content_type="application/json")
    response[protocol.HEADER_SIGNATURE] = protocol.sign_response(
        secret=house.secret, request_nonce=request.headers.get(protocol.HEADER_NONCE, ""), body=body
    )
    return response


def _handle(request, work):
    try:
        house = services.authenticate(
            method=request.method, path=request.path, body=request.body, headers=request.headers
        )
    except services.HubError as exc:
        return JsonResponse({"code": exc.code}, status=exc.status)
    try:
        payload = json.loads(request.body or b"{}")
        if not isinstance(payload, dict):
            raise services.HubError("invalid_payload", 422)
        return _signed(request, house, work(house=house, payload=payload))
    except json.JSONDecodeError:
        return _signed(request, house, {"code": "invalid_json"}, status=400)
    except services.HubError as exc:
        return _signed(request, house, {"code": exc.code}, status=exc.status)


@csrf_exempt
@require_POST
def publish(request):
    return _handle(request, services.publish)


@csrf_exempt
@require_POST
def check(request):
    return _handle(request, services.check)


@require_GET
def health(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
