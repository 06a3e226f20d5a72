"""The optional daily e-mail reminder to log last night.

`send_due_reminders()` is run by `manage.py send_reminders` from cron every few minutes. Each
reminder goes out at most once per local day: a run first *claims* the day with a conditional
UPDATE (it only succeeds if `reminder_last_sent_on` still holds the value the run read), so two
overlapping runs can never both send.
"""

from __future__ import annotations

import logging
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from diary.models import Night, Profile

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class DueReminder:
    profile_id: int
    user_id: int
    email: str
    display_name: str
    last_sent_on: date | None  # as read; the claim only succeeds if it is unchanged
    local_today: date
    language: str = ""  # the profile's language; "" (never chosen) = the site's default


def _local_now(now: datetime, time_zone: str) -> datetime:
    try:
        return now.astimezone(zoneinfo.ZoneInfo(time_zone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return now.astimezone(zoneinfo.ZoneInfo("UTC"))


def find_due_reminders(now: datetime | None = None) -> list[DueReminder]:
    """Reminders due at `now`: time reached in the user's zone, not sent today, today not logged yet."""
    now = now or timezone.now()
    due = []
    profiles = Profile.objects.filter(
        reminder_enabled=True, reminder_time__isnull=False, user__is_active=True
    ).select_related("user")
    for profile in profiles:
        local_now = _local_now(now, profile.time_zone)
        today = local_now.date()
        if local_now.time() < profile.reminder_time or not profile.user.email:
            continue
        if profile.reminder_last_sent_on is not None and profile.reminder_last_sent_on >= today:
            continue
        # Today's night is the one that ended this morning: nothing to remind about once it is logged.
        if Night.objects.for_user(profile.user).filter(date=today).exists():
            continue
        due.append(
            DueReminder(
                profile_id=profile.pk,
                user_id=profile.user_id,
                email=profile.user.email,
                display_name=profile.display_name,
                last_sent_on=profile.reminder_last_sent_on,
                local_today=today,
                language=profile.language,
            )
        )
    return due


def reminder_text(reminder: DueReminder) -> tuple[str, str]:
    """(subject, body) in the person's language: sent from cron, there is no request to follow."""
    site = getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    language = reminder.language if reminder.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    with translation.override(language):
        if reminder.display_name:
            greeting = gettext("Hello %(name)s,") % {"name": reminder.display_name}
        else:
            greeting = gettext("Hello,")
        body = "\n".join(
            [
                greeting,
                "",
                gettext("This is your daily reminder to log last night in your back-pain diary."),
                gettext("It takes less than a minute, and every night you log makes your report clearer:"),
                "",
                f"{site}{reverse('diary:night-create')}",
                "",
                gettext("If last night was a hard one, go gently today."),
                "",
                gettext("You asked for this reminder. To change its time or turn it off, visit your account page:"),
                f"{site}{reverse('profile')}",
                "",
                gettext("Night Back-Pain Diary"),
            ]
        )
        return gettext("Time to log last night"), body


def send_reminder(reminder: DueReminder) -> bool:
    """Claim the day, then send. True if this call sent the e-mail."""
    claimed = Profile.objects.filter(pk=reminder.profile_id, reminder_last_sent_on=reminder.last_sent_on).update(
        reminder_last_sent_on=reminder.local_today
    )
    if not claimed:
        return False  # another run got there first (or the user just changed something)
    subject, body = reminder_text(reminder)
    try:
        send_mail(subject, body, None, [reminder.email], fail_silently=False)
    except Exception:
        # Give the day back so the next run retries; only if nobody has touched it since.
        Profile.objects.filter(pk=reminder.profile_id, reminder_last_sent_on=reminder.local_today).update(
            reminder_last_sent_on=reminder.last_sent_on
        )
        logger.exception("Reminder e-mail failed for user id %s", reminder.user_id)
        return False
    return True


def send_due_reminders(now: datetime | None = None) -> int:
    """Send every reminder due at `now`; returns how many were sent. Safe to run every few minutes."""
    return sum(send_reminder(reminder) for reminder in find_due_reminders(now))
