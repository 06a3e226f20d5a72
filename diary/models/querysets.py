"""The QuerySet every per-user model shares."""

from __future__ import annotations

from django.db import models


class OwnedQuerySet(models.QuerySet):
    """The one choke point for per-user data: every read of diary data goes through for_user()."""

    def for_user(self, user):
        return self.filter(user=user)
