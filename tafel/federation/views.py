"""Pages and endpoints of the federation: the screening partial ("known in another house?") and the endpoint
where the hub asks this house for dat-informatie."""

from __future__ import annotations

import json
import re

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.utils.dateparse import parse_date
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from tafel.access import policy
from tafel.federation import protocol, services
from tafel.persons import matching

PERSON_PREFIX_RE = re.compile(r"^form-\d{1,3}$")


def query_from_post(post, prefix: str) -> matching.NameParts:
    """The person typed in one block of the aanmeldformulier, read as the local screening reads it."""

    def get(name: str) -> str:
        return post.get(f"{prefix}-{name}", "").strip()

    try:
        date_of_birth = parse_date(get("date_of_birth"))
    except ValueError:
        date_of_birth = None
    bsn = re.sub(r"[\s.]", "", get("bsn"))
    return matching.NameParts(
        first_names=get("first_names"),
        prefix=get("prefix"),
        last_name=get("last_name"),
        birth_last_name=get("birth_last_name"),
        date_of_birth=date_of_birth,
        bsn=bsn if bsn.isdigit() and len(bsn) in (8, 9) else "",
    )


@login_required
@require_POST
def check(request):
    """The federated screening partial (SPEC §3.2): loaded after the local result, so a slow or unreachable
    hub never holds up the page or the intake."""
    if not policy.may_submit_aanmelding(request.user):
        raise PermissionDenied
    prefix = request.GET.get("prefix", "")
    if not PERSON_PREFIX_RE.match(prefix):
        return HttpResponseBadRequest("prefix")
    result = services.federated_check(viewer=request.user, query=query_from_post(request.POST, prefix))
    return render(request, "federation/_check.html", {"result": result})


@csrf_exempt
@require_POST
def answer(request):
    """The hub asks this house about references it published. Signed by the hub with this house's secret;
    the answer is signed back. Not federated: 404, as for any unknown address."""
    if not settings.TAFEL_FEDERATION_HUB_URL:
        raise Http404
    secret = settings.TAFEL_FEDERATION_HOUSE_SECRET
    try:
        key_id, nonce = protocol.verify_request(
            secret=secret, method=request.method, path=request.path, body=request.body, headers=request.headers
        )
        if key_id != protocol.HUB_KEY_ID:
            raise protocol.SignatureInvalid("unknown_key")
        services.hub_nonce_use(nonce)
    except (protocol.SignatureInvalid, services.QuestionRejected) as exc:
        return JsonResponse({"code": str(exc)}, status=401)
    try:
        payload = json.loads(request.body)
        if not isinstance(payload, dict):
            raise services.QuestionRejected("invalid_question")
        data, status = services.question_answer(payload=payload), 200
    except (ValueError, services.QuestionRejected) as exc:
        data, status = {"code": str(exc) if isinstance(exc, services.QuestionRejected) else "invalid_json"}, 400
    body = json.dumps(data).encode()
    response = HttpResponse(body, status=status, content_type="application/json")
    response[protocol.HEADER_SIGNATURE] = protocol.sign_response(secret=secret, request_nonce=nonce, body=body)
    return response
