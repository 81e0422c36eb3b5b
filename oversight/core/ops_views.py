"""The operator's endpoints (docs/operations/): ``/healthz``, ``/readyz`` and ``/metrics``. No sign-in, no session,
no page: JSON or Prometheus text, never cached."""

from __future__ import annotations

from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from oversight.core.health import readiness
from oversight.core.metrics import metrics_allowed, render_metrics


@never_cache
@require_safe
def healthz(request):
    """The process answers (liveness): touches nothing else, not even the database."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request):
    """The process can serve (readiness): 200 when every required check is ok, 503 otherwise."""
    ready, body = readiness()
    return JsonResponse(body, status=200 if ready else 503)


@never_cache
@require_safe
def metrics(request):
    """Prometheus exposition text, for a scraper with the token or on this machine's loopback (else 403)."""
    if not metrics_allowed(request):
        return HttpResponse("forbidden\n", status=403, content_type="text/plain; charset=utf-8")
    body, content_type = render_metrics()
    return HttpResponse(body, content_type=content_type)
