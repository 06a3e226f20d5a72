from django.urls import path

from diary import views

app_name = "diary"
urlpatterns = [
    path("log/", views.night_create, name="night-create"),
    path("diary/", views.night_list, name="night-list"),
    path("report/", views.report, name="report"),
]
urlpatterns += [
    path("diary/export.csv", views.night_list, name="export-csv"),
    path("diary/import/", views.night_list, name="import-csv"),
    path("share/", views.night_list, name="share-list"),
]
