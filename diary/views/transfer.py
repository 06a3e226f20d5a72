"""CSV import and export of the signed-in person's diary."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_safe

from diary.choices import MULTI_CHOICE_FIELDS
from diary.period import PeriodForm
from diary.transfer.csv_export import HEADER, export_lines
from diary.transfer.csv_import import human_size, parse_diary_csv

# Room for the multipart envelope (boundaries, the checkbox, the CSRF token) around the file.
UPLOAD_OVERHEAD_BYTES = 64 * 1024
EXAMPLE_ROWS = (
    "2026-11-01,6,late,lower_back;flank_left,45,movement;hot_shower,Old mattress,,2,,4,3,Stiff until after breakfast",
    "2026-11-02,2,no,lower_back,10,movement,Old mattress,36.8,1,,3,2,",
    "2026-11-03,0,,,0,,Guest room futon,,,,,,",
)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}))
    replace = forms.BooleanField(
        label=_("Replace nights that already exist"),
        required=False,
        help_text=_("Without this, a date already in your diary is reported as a problem and nothing is imported."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = human_size(settings.DIARY_IMPORT_MAX_BYTES)
        self.fields["file"].help_text = _("UTF-8 CSV in the format below, up to %(limit)s.") % {"limit": limit}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.DIARY_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("This file is %(size)s; the limit is %(limit)s. Split it into smaller files.")
                % {"size": human_size(upload.size), "limit": human_size(settings.DIARY_IMPORT_MAX_BYTES)}
            )
        return upload


# CSRF is checked by csrf_protect below, after the size check: the CSRF middleware would read
# (and spool to disk) the whole request body first, which is what an oversized upload must not get.
@csrf_exempt
@login_required
def import_csv(request):
    too_large = settings.DIARY_IMPORT_MAX_BYTES + UPLOAD_OVERHEAD_BYTES
    if request.method == "POST" and _content_length(request) > too_large:
        refused = _("This upload is larger than %(limit)s, the limit for one file. Split it into smaller files.") % {
            "limit": human_size(settings.DIARY_IMPORT_MAX_BYTES)
        }
        return render(request, "diary/import.html", _context(ImportForm(), refused=refused), status=413)
    return _import_csv(request)


@csrf_protect
def _import_csv(request):
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    result = None
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        result = parse_diary_csv(upload.read(), request.user, replace=form.cleaned_data["replace"])
        if result.ok:
            messages.success(request, _imported_message(result))
            return redirect("diary:night-list")
    return render(request, "diary/import.html", _context(form, result))


def _imported_message(result) -> str:
    """What an import added, with every count in the reader's plural forms."""
    parts = [
        ngettext(
            "Imported %(count)s night (%(replaced)s replaced).",
            "Imported %(count)s nights (%(replaced)s replaced).",
            result.imported,
        )
        % {"count": result.imported, "replaced": result.replaced}
    ]
    if result.beds_created:
        parts.append(
            ngettext("New bed: %(names)s.", "New beds: %(names)s.", len(result.beds_created))
            % {"names": ", ".join(result.beds_created)}
        )
    if result.medicines_created:
        parts.append(
            ngettext("New medicine: %(names)s.", "New medicines: %(names)s.", len(result.medicines_created))
            % {"names": ", ".join(result.medicines_created)}
        )
    if result.check_ins:
        parts.append(_("Weekly check-ins: %(count)s.") % {"count": result.check_ins})
    return " ".join(parts)


def _context(form, result=None, refused: str = "") -> dict:
    return {
        "form": form,
        "result": result,
        "refused": refused,
        "header": ",".join(HEADER),
        "example_rows": EXAMPLE_ROWS,
        "multi_choice_codes": [(name, choices.values) for name, (choices, _prefix) in MULTI_CHOICE_FIELDS.items()],
    }


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


@require_safe
@login_required
def export_csv(request):
    form = PeriodForm.for_user(request.user, request.GET)
    period = form.period
    if period.error:
        return HttpResponseBadRequest(period.error, content_type="text/plain; charset=utf-8")
    if form.first_logged is None and not form.dates_given:
        filename = f"night-diary-{period.end.isoformat()}.csv"
    else:
        filename = f"night-diary-{period.start.isoformat()}-to-{period.end.isoformat()}.csv"
    # A byte-order mark, so Excel reads accents and other non-English letters correctly.
    response = StreamingHttpResponse(
        export_lines(request.user, period.start, period.end, bom=True), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store, private"
    return response
