"""The QuerySet every per-user model shares: reads through for_user(), and bulk writes that
stamp updated_at, which the page cache's data stamp reads (diary.caching)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class OwnedQuerySet(models.QuerySet):
    """The one choke point for per-user data: every read of diary data goes through for_user()."""

    def for_user(self, user):
        return self.filter(user=user)

    # Bulk writes stamp updated_at as save() does (auto_now alone does not), so the cached pages'
    # data stamp (diary.caching) sees them too.
    def update(self, **values):
        if _has_updated_at(self.model):
            values.setdefault("updated_at", timezone.now())
        return super().update(**values)

    def bulk_update(self, objs, fields, batch_size=None):
        if _has_updated_at(self.model):
            now = timezone.now()
            for obj in objs:
                obj.updated_at = now
            fields = {*fields, "updated_at"}
        return super().bulk_update(objs, fields, batch_size=batch_size)


def _has_updated_at(model) -> bool:
    return any(field.name == "updated_at" for field in model._meta.concrete_fields)
