"""What the diary's commands share: finding the user and reading --start / --end.

Commands import from here, never from each other; the dates go through the one period parser
(diary.period.PeriodForm), so a command accepts exactly the periods the pages accept.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db.models import Q

from diary.dates import today_for
from diary.period import Period, PeriodForm, date_field


def find_user(identifier: str):
    """The user whose username is `identifier`, or else whose e-mail is (case-insensitive)."""
    users = get_user_model().objects
    by_username = users.filter(username=identifier).first()
    if by_username is not None:
        return by_username
    by_email = list(
        users.filter(Q(email__iexact=identifier) | Q(emailaddress__email__iexact=identifier)).distinct()[:2]
    )
    if len(by_email) == 1:
        return by_email[0]
    if by_email:
        raise CommandError(f"More than one user has the e-mail {identifier!r}; give the username instead.")
    raise CommandError(f"No user with the username or e-mail {identifier!r}.")


def period_from_options(user, options) -> Period:
    """--start / --end as a Period of `user`'s diary: a missing one is the first or latest
    logged night, as on the pages; CommandError in the period parser's words otherwise."""
    params = {name: options.get(name) or "" for name in ("start", "end")}
    form = PeriodForm.for_user(user, params, today=today_for(user))
    if not form.error:
        return form.period
    for name in ("start", "end"):
        for error in form.errors.as_data().get(name, []):
            if error.code == "invalid":
                raise CommandError(f"--{name} {params[name]!r} is not a date; use YYYY-MM-DD, e.g. 2026-11-01.")
            if error.code == "order":
                raise CommandError(f"--start ({params['start']}) is after --end ({params['end']}).")
    raise CommandError(form.error)


def day_option(text: str | None, option: str) -> date | None:
    """One YYYY-MM-DD option that is not a report period (a bed trial's first night may be ahead)."""
    if text is None:
        return None
    try:
        return date_field(option, option).clean(text.strip())
    except ValidationError:
        raise CommandError(f"{option} {text!r} is not a date; use YYYY-MM-DD, e.g. 2026-11-01.") from None
