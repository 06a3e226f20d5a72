"""Share links: the owner creates and revokes them; a clinician opens one without an account.

A link shows exactly its own period, read-only. Unknown, expired and revoked tokens are the same
plain 404, so a guess learns nothing. Passcode attempts are limited per link *and client
address* with allauth's rate limiter (ACCOUNT_RATE_LIMITS["share_passcode"]: 5 per 15 minutes,
10 per 2 hours, 20 per day), counted in the shared security cache, so the limit holds across
worker processes and someone holding the link cannot lock the clinician out (docs/security.md).
"""

from __future__ import annotations

import ipaddress
import re
from functools import wraps

import qrcode
import qrcode.image.svg
from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from diary.dates import today_for
from diary.forms_share import ShareLinkForm, SharePasscodeForm
from diary.models import Profile, ShareLink
from diary.period import PeriodForm
from diary.report_display import findings_for_page, paper_from, patient_name, pdf_response, report_charts
from diary.reporting import load_report
from diary.rules import BEFORE_AFTER_CAUTION
from diary.trials.summary import trial_for_period


def qr_svg(url: str) -> SafeString:
    """The link as an SVG QR code, with no style attributes (the CSP forbids inline styles)."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage)
    svg = image.to_string(encoding="unicode")
    # The size comes from static/css/report.css; the SVG keeps only its viewBox, path and fill.
    svg = re.sub(r'\s(?:width|height)="[^"]*"', "", svg[: svg.index(">")], count=2) + svg[svg.index(">") :]
    label = escape(gettext("QR code of the share link"))
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
    if "style" in svg:  # a guard on the library's output: the CSP would block it
        raise ValueError("The QR code SVG carries style attributes")
    return mark_safe(svg)  # noqa: S308 - built by qrcode from our own URL; holds no text


@login_required
def share_list(request):
    created = None
    if request.method == "POST":
        form = ShareLinkForm(request.POST)
        if form.is_valid():
            link, token = ShareLink.create_for(request.user, **form.cleaned_data)
            url = request.build_absolute_uri(reverse("diary:shared-report", args=[token]))
            # The token exists only in this response: it is never stored and cannot be shown again.
            created = {"link": link, "url": url, "qr": qr_svg(url)}
            form = ShareLinkForm(initial=_initial(link.start, link.end))
    else:
        period = PeriodForm.for_user(request.user, request.GET).period
        form = ShareLinkForm(initial=_initial(period.start, period.end))
    links = ShareLink.objects.for_user(request.user)
    return render(request, "diary/share_list.html", {"form": form, "links": links, "created": created})


def _initial(start, end) -> dict:
    return {"start": start, "end": end, "expiry_days": 7}


@login_required
@require_POST
def share_revoke(request, pk):
    link = get_object_or_404(ShareLink.objects.for_user(request.user), pk=pk)
    link.revoke()
    messages.success(request, gettext("“%(link)s” is revoked: the link no longer opens.") % {"link": link})
    return redirect("diary:share-list")


# --- Opened by a clinician, without an account ---


def _link_or_404(token: str) -> ShareLink:
    link = ShareLink.find_active(token)
    if link is None:
        raise Http404()
    return link


def _session_key(link: ShareLink) -> str:
    return f"share-link-unlocked-{link.pk}"


def _is_unlocked(request, link: ShareLink) -> bool:
    return not link.has_passcode or request.session.get(_session_key(link)) is True


# The token is in the path, so no Referer may carry the path; but "no-referrer" makes Chromium
# send `Origin: null` with the passcode form, which Django's CSRF check rightly refuses.
# "strict-origin" sends only the origin, in both headers, and nothing on an HTTPS -> HTTP step.
SHARED_REFERRER_POLICY = "strict-origin"


def _shared(response):
    """Headers for every page a share link serves: never indexed, cached or leaking the URL."""
    response["Referrer-Policy"] = SHARED_REFERRER_POLICY
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store"
    return response


PASSCODE_LIMIT = "share_passcode"  # the action's rates are in settings.ACCOUNT_RATE_LIMITS


def _attempts_key(request, link: ShareLink) -> str:
    """Wrong passcodes are counted per link and per client address (IPv6 per /64, as allauth
    counts log-ins), the address taken through the trusted proxies (settings, docs/security.md)."""
    address = get_account_adapter().get_client_ip(request) or ""
    try:
        parsed = ipaddress.ip_address(address)
        if parsed.version == 6:
            address = str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address)
    except ValueError:
        pass
    return f"share-link-{link.pk}-from-{address}"


def _passcode_page(request, link: ShareLink):
    """The passcode form, and the answer to a submitted passcode."""
    form = SharePasscodeForm(request.POST or None)
    if request.method == "POST":
        key = _attempts_key(request, link)
        # Every attempt is counted before the (slow) hash check, so parallel guesses cannot slip past.
        if not ratelimit.consume(request, action=PASSCODE_LIMIT, key=key):
            return _shared(render(request, "diary/shared_locked.html", status=429))
        if form.is_valid():
            if link.passcode_matches(form.cleaned_data["passcode"]):
                ratelimit.clear(request, action=PASSCODE_LIMIT, key=key)
                request.session[_session_key(link)] = True
                return _shared(redirect(request.path))
            form.add_error("passcode", gettext("That passcode is not right. Check it with the patient and try again."))
    return _shared(render(request, "diary/shared_passcode.html", {"form": form}))


def in_link_language(view):
    """Run a shared view in the link's language (chosen by the person), whatever the clinician's
    browser or cookie says; the response says which language it is in."""

    @wraps(view)
    def wrapped(request, token):
        link = _link_or_404(token)
        with translation.override(link.language):
            request.LANGUAGE_CODE = translation.get_language()
            response = view(request, link, token)
        response.headers["Content-Language"] = link.language
        return response

    return wrapped


@in_link_language
def shared_report(request, link: ShareLink, token: str):
    if not _is_unlocked(request, link):
        return _passcode_page(request, link)
    link.record_open()
    unit = Profile.temperature_unit_for(link.user)
    report = load_report(link.user, link.start, link.end, temperature_unit=unit)
    context = {
        "link": link,
        "report": report,
        "summary": report.summary,
        "findings": findings_for_page(report),
        "charts": report_charts(report),
        "bed_caution": BEFORE_AFTER_CAUTION,
        "trial": trial_for_period(link.user, link.start, link.end, today=today_for(link.user), nights=report.nights),
        "patient_name": patient_name(link.user) if link.include_name else None,
        "shared": True,
        "token": token,
        "temperature_unit": unit,
    }
    return _shared(render(request, "diary/shared_report.html", context))


@in_link_language
def shared_report_pdf(request, link: ShareLink, token: str):
    if not _is_unlocked(request, link):
        return _shared(redirect("diary:shared-report", token=token))
    link.record_open()
    unit = Profile.temperature_unit_for(link.user)
    report = load_report(link.user, link.start, link.end, temperature_unit=unit)
    name = patient_name(link.user) if link.include_name else None
    trial = trial_for_period(link.user, link.start, link.end, today=today_for(link.user), nights=report.nights)
    return _shared(pdf_response(report, name=name, paper=paper_from(request.GET), temperature_unit=unit, trial=trial))
