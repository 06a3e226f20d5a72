from django.urls import path

from diary.views import beds, fhir, medicines, nights, report, share, transfer, trials

app_name = "diary"
urlpatterns = [
    # Nights (log, browse, edit, delete, calendar, charts)
    path("log/", nights.night_create, name="night-create"),
    path("diary/", nights.night_list, name="night-list"),
    path("diary/calendar/", nights.calendar, name="calendar"),
    path("diary/charts/", nights.charts, name="charts"),
    path("diary/<int:pk>/edit/", nights.night_edit, name="night-edit"),
    path("diary/<int:pk>/delete/", nights.night_delete, name="night-delete"),
    # Beds
    path("beds/", beds.bed_list, name="bed-list"),
    path("beds/new/", beds.bed_create, name="bed-create"),
    path("beds/<int:pk>/edit/", beds.bed_edit, name="bed-edit"),
    path("beds/<int:pk>/delete/", beds.bed_delete, name="bed-delete"),
    # Planned bed trials (docs/bed-trials.md)
    path("beds/trials/new/", trials.trial_create, name="trial-create"),
    path("beds/trials/<int:pk>/", trials.trial_detail, name="trial-detail"),
    path("beds/trials/<int:pk>/stop/", trials.trial_stop, name="trial-stop"),
    path("beds/trials/<int:pk>/abandon/", trials.trial_abandon, name="trial-abandon"),
    # Medicines and the weekly PEG check-in
    path("medicines/", medicines.medicine_list, name="medicine-list"),
    path("medicines/new/", medicines.medicine_create, name="medicine-create"),
    path("medicines/<int:pk>/edit/", medicines.medicine_edit, name="medicine-edit"),
    path("medicines/<int:pk>/delete/", medicines.medicine_delete, name="medicine-delete"),
    path("check-in/", medicines.peg_check_in, name="peg-check-in"),
    # CSV import / export
    path("diary/import/", transfer.import_csv, name="import-csv"),
    path("diary/export.csv", transfer.export_csv, name="export-csv"),
    # Report and clinician exports
    path("report/", report.report, name="report"),
    path("report/pdf/", report.report_pdf, name="report-pdf"),
    path("report/fhir.json", fhir.report_fhir, name="report-fhir"),
    # Share links: managed by the owner, opened by a clinician without an account
    path("share/", share.share_list, name="share-list"),
    path("share/<int:pk>/revoke/", share.share_revoke, name="share-revoke"),
    path("s/<str:token>/", share.shared_report, name="shared-report"),
    path("s/<str:token>/pdf/", share.shared_report_pdf, name="shared-report-pdf"),
]
