"""Share links: a read-only report for a clinician, opened without an account."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import models
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from diary.models.querysets import OwnedQuerySet


def reader_language(code: str | None = None) -> str:
    """A language of settings.LANGUAGES for a report's reader: `code` ("en", "en-gb", "ru") when
    the site has it, else the active language, else the site's default."""
    for candidate in (code, translation.get_language()):
        if candidate:
            try:
                return translation.get_supported_language_variant(candidate)
            except LookupError:
                continue
    return settings.LANGUAGE_CODE


class ShareLinkQuerySet(OwnedQuerySet):
    def active(self, now: datetime | None = None):
        """Links a clinician may still open: not revoked and not yet expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class ShareLink(models.Model):
    """A read-only view of one period of a user's report, opened by a clinician without an account.

    Only the SHA-256 of the token is stored: the link itself is shown to the user once, at creation.
    """

    EXPIRY_DAYS = (1, 7, 30)
    TOKEN_BYTES = 32  # 256 bits from secrets.token_urlsafe

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("share link", "Active")
        EXPIRED = "expired", pgettext_lazy("share link", "Expired")
        REVOKED = "revoked", pgettext_lazy("share link", "Revoked")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="share_links")
    label = models.CharField(max_length=80, blank=True, help_text=_("Only you see this, e.g. “Dr Patel, March visit”."))
    start = models.DateField()
    end = models.DateField()
    include_name = models.BooleanField(default=False)
    # The language the clinician reads the shared page and its PDF in, chosen by the person when
    # creating the link, whatever their own language or the clinician's browser (issue 19).
    language = models.CharField(max_length=10, default=settings.LANGUAGE_CODE)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)  # sha256 hex; unique means indexed
    passcode_hash = models.CharField(max_length=128, blank=True)
    open_count = models.PositiveIntegerField(default=0)
    last_opened_at = models.DateTimeField(null=True, blank=True)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=Q(start__lte=F("end")), name="share_link_start_before_end")]

    def __str__(self) -> str:
        return self.label or translation.gettext("Share link %(start)s to %(end)s") % {
            "start": date_format(self.start, "j M Y"),
            "end": date_format(self.end, "j M Y"),
        }

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def create_for(
        cls,
        user,
        *,
        start: date,
        end: date,
        expiry_days: int,
        label: str = "",
        include_name: bool = False,
        passcode: str = "",
        language: str = "",
    ) -> tuple[ShareLink, str]:
        """Create a link and return it with its token, which is never stored and cannot be shown again."""
        if expiry_days not in cls.EXPIRY_DAYS:
            raise ValueError(f"expiry_days must be one of {cls.EXPIRY_DAYS}")
        token = secrets.token_urlsafe(cls.TOKEN_BYTES)
        now = timezone.now()
        link = cls.objects.create(
            user=user,
            label=label,
            start=start,
            end=end,
            include_name=include_name,
            language=reader_language(language),
            created_at=now,
            expires_at=now + timedelta(days=expiry_days),
            token_hash=cls.hash_token(token),
            passcode_hash=make_password(passcode) if passcode else "",
        )
        return link, token

    @classmethod
    def find_active(cls, token: str) -> ShareLink | None:
        """The active link for a token, or None for unknown, expired and revoked alike."""
        if not token or len(token) > 100:
            return None
        return cls.objects.active().filter(token_hash=cls.hash_token(token)).select_related("user").first()

    @property
    def has_passcode(self) -> bool:
        return bool(self.passcode_hash)

    def status(self, now: datetime | None = None) -> Status:
        if self.revoked_at is not None:
            return self.Status.REVOKED
        if self.expires_at <= (now or timezone.now()):
            return self.Status.EXPIRED
        return self.Status.ACTIVE

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])

    def record_open(self) -> None:
        now = timezone.now()
        # F() so that opens on several workers at once are all counted.
        ShareLink.objects.filter(pk=self.pk).update(open_count=F("open_count") + 1, last_opened_at=now)
        self.open_count += 1
        self.last_opened_at = now

    def passcode_matches(self, passcode: str) -> bool:
        """Whether `passcode` is this link's passcode. Wrong guesses are limited per link and per
        client address by the share view (diary/views/share.py, docs/security.md), not here."""
        return bool(self.passcode_hash) and check_password(passcode, self.passcode_hash)
