"""The FHIR R4 download for the report period (the mapping is in docs/fhir.md)."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.utils import timezone

from diary.period import PeriodForm
from diary.transfer.fhir import bundle_filename, bundle_for_user


@login_required
def report_fhir(request):
    period = PeriodForm.for_user(request.user, request.GET).period
    if period.error:
        return HttpResponseBadRequest(period.error, content_type="text/plain; charset=utf-8")
    include_name = request.GET.get("include_name") == "1"
    bundle = bundle_for_user(
        request.user, period.start, period.end, include_name=include_name, generated_at=timezone.localtime()
    )
    response = HttpResponse(
        json.dumps(bundle, ensure_ascii=False, separators=(",", ":")),
        content_type="application/fhir+json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{bundle_filename(period.start, period.end)}"'
    response["Cache-Control"] = "no-store, private"
    return response
