from django.urls import path

from accounts import views

# Un-namespaced names ("profile", "account-delete", …): they predate this app and every template,
# redirect and test reverses them as they are.
urlpatterns = [
    path("account/", views.profile, name="profile"),
    path("account/delete/", views.account_delete, name="account-delete"),
    path("account/backup.json", views.account_backup, name="account-backup"),
    path("account/restore/", views.account_restore, name="account-restore"),
]
