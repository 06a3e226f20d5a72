"""The site around the diary in Russian: start, error and account pages, the web-app manifest,
and the e-mails (our daily reminder, and allauth's own, which come from allauth's Russian catalogue)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from diary.models import Profile
from diary.reminders import send_due_reminders

pytestmark = pytest.mark.django_db


def russian_client(user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9")
    if user is not None:
        client.force_login(user)
    return client


def test_the_start_page_is_russian_for_a_russian_browser():
    html = russian_client().get("/").content.decode()

    assert '<html lang="ru"' in html
    assert "Почему по ночам болит спина?" in html
    assert 'href="/ru/articles/">Читать статьи</a>' in html  # the Russian articles, not the English list


def test_a_missing_page_says_so_in_russian():
    response = russian_client().get("/no-such-page/")

    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()


def test_a_too_large_upload_names_its_limit_in_russian(alice, settings):
    too_big = b"x" * (settings.BACKUP_MAX_BYTES + settings.UPLOAD_ENVELOPE_BYTES + 1)
    response = russian_client(alice).post(
        reverse("account-restore"), data=too_big, content_type="application/octet-stream"
    )

    assert response.status_code == 413
    assert "один файл размером до 10 МБ" in response.content.decode()


def test_the_account_page_writes_today_the_russian_way(alice):
    Profile.objects.filter(user=alice).update(time_zone="Europe/Moscow", language="ru")
    with time_machine.travel(datetime(2026, 12, 2, 9, 0, tzinfo=UTC), tick=False):
        client = Client()
        client.force_login(alice)
        html = client.get(reverse("profile")).content.decode()

    assert "Ваш часовой пояс: <strong>Europe/Moscow</strong>" in html
    assert "Для вашего дневника сегодня 2 декабря 2026." in html
    assert ">Двухфакторный вход</a>" in html


# --- The web-app manifest: one per language, each at its own address ------------------------------


def test_a_russian_page_links_the_russian_manifest_and_an_english_page_the_english_one():
    russian = russian_client().get("/").content.decode()
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get("/").content.decode()

    assert '<link rel="manifest" href="/ru/manifest.webmanifest">' in russian
    assert '<link rel="manifest" href="/manifest.webmanifest">' in english


def test_the_russian_manifest_names_the_app_in_russian_whatever_the_visitors_language():
    # The address alone decides the language: a shared cache may keep each manifest for a day.
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get("/ru/manifest.webmanifest")
    english = json.loads(Client(HTTP_ACCEPT_LANGUAGE="ru").get("/manifest.webmanifest").content)
    manifest = json.loads(response.content)

    assert response["Content-Type"] == "application/manifest+json"
    assert "public" in response["Cache-Control"] and "max-age=86400" in response["Cache-Control"]
    assert manifest["lang"] == "ru"
    assert manifest["name"] == "Дневник ночной боли в спине"
    assert manifest["short_name"] == "Дневник боли"
    assert manifest["description"].startswith("Записывайте свои ночи")
    assert english["name"] == "Night Back-Pain Diary" and english["lang"] == "en-gb"
    # Both are the same installed app, with the same start page and icons.
    assert manifest["id"] == english["id"] == "/"
    assert manifest["start_url"] == english["start_url"] and manifest["icons"] == english["icons"]
    assert Client().get("/de/manifest.webmanifest").status_code == 404


# --- E-mails --------------------------------------------------------------------------------------


def test_the_daily_reminder_is_written_in_the_persons_language(alice, bob, mailoutbox):
    Profile.objects.filter(user=alice).update(
        language="ru", display_name="Алиса", time_zone="UTC", reminder_enabled=True, reminder_time=time(7, 0)
    )
    Profile.objects.filter(user=bob).update(time_zone="UTC", reminder_enabled=True, reminder_time=time(7, 0))
    with time_machine.travel(datetime(2026, 11, 2, 8, 0, tzinfo=UTC), tick=False):
        assert send_due_reminders() == 2

    russian = next(mail for mail in mailoutbox if mail.to == ["alice@example.com"])
    english = next(mail for mail in mailoutbox if mail.to == ["bob@example.com"])
    assert russian.subject == "Пора записать прошлую ночь"
    assert russian.body.startswith("Здравствуйте, Алиса!")
    assert "Если ночь была тяжёлой, поберегите себя сегодня." in russian.body
    assert english.subject == "Time to log last night"  # bob never chose a language: the site's default
    assert Profile.objects.get(user=alice).reminder_last_sent_on == date(2026, 11, 2)


def test_allauths_emails_reach_a_russian_visitor_in_russian(alice, mailoutbox):
    response = russian_client().post(reverse("account_reset_password"), {"email": "alice@example.com"})

    assert response.status_code == 302
    (mail,) = mailoutbox
    assert mail.subject.startswith("[Дневник боли в спине] ")  # our prefix, translated
    assert "сброса пароля" in mail.subject
    assert "парол" in mail.body, mail.body
    assert "You're receiving this" not in mail.body and "Hello" not in mail.body


@pytest.mark.parametrize(
    ("nights", "beds", "text"),
    [
        (1, 1, "1 ночь, 1 кровать"),
        (3, 2, "3 ночи, 2 кровати"),
        (25, 5, "25 ночей, 5 кроватей"),
        (21, 11, "21 ночь, 11 кроватей"),
    ],
)
def test_the_restore_message_counts_nights_and_beds_with_russian_plurals(nights, beds, text):
    from django.utils import translation

    from accounts.views import restored_message

    with translation.override("ru"):
        message = restored_message(nights, beds, share_links=0)

    assert message == f"Резервная копия восстановлена: {text} и ваш профиль."


def test_a_backup_that_cannot_be_restored_is_explained_in_russian(alice):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("backup.json", b"{not json", content_type="application/json")
    html = russian_client(alice).post(reverse("account-restore"), {"backup": upload}).content.decode()

    assert "Это не резервная копия: файл не читается как JSON." in html


def test_too_many_nights_in_a_backup_are_counted_the_russian_way():
    from django.utils import translation

    from diary.transfer.backup import count_of, too_large

    with translation.override("ru"):
        message = too_large(count_of("nights", 200_000))

    assert message == (
        "В этой резервной копии больше данных, чем сайт может восстановить: 200\xa0000 ночей. Ничего не восстановлено."
    )


# --- allauth's screens, every one a person meets, in Russian --------------------------------------


def assert_russian_page(response, *, allowed: frozenset[str] = frozenset()) -> str:
    from tests.russian_text import english_words, visible_text

    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    assert '<html lang="ru"' in html
    words = english_words(visible_text(html), allowed=set(allowed) | {EMAIL, "olga", "alice"})  # their own names
    assert not words, f"English on {response.request['PATH_INFO']}: {words}"
    return html


EMAIL = "olga@example.com"
PASSWORD = "очень-длинный-пароль-42"


def current_totp(secret: str) -> str:
    import time as clock

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(clock.time()) // 30))


def test_sign_up_verification_two_factor_and_sign_in_all_speak_russian(mailoutbox, time_machine):
    import re
    import time as clock

    from allauth.mfa.models import Authenticator

    time_machine.move_to(clock.time())  # ticking, so minutes can pass for the resend limit
    client = russian_client()

    assert_russian_page(client.get(reverse("account_signup")))
    client.post(reverse("account_signup"), {"email": EMAIL, "password1": PASSWORD, "password2": PASSWORD})
    (welcome,) = mailoutbox
    assert welcome.subject.startswith("[Дневник боли в спине] ") and "подтвердите" in welcome.subject, welcome.subject
    assert "Hello" not in welcome.body and "confirm-email" in welcome.body

    # Two-factor waits for a verified address: allauth's refusal and our notice, both Russian.
    page = assert_russian_page(client.get(reverse("mfa_activate_totp"), follow=True))
    assert "Сначала подтвердите адрес электронной почты" in page

    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", welcome.body).group(1)
    assert_russian_page(client.get(link))
    client.post(link)

    assert_russian_page(client.get(reverse("mfa_activate_totp"), follow=True))  # asks for the password again
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    secret_page = client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]
    assert_russian_page(secret_page, allowed=frozenset({secret}))
    client.post(reverse("mfa_activate_totp"), {"code": current_totp(secret)})
    assert Authenticator.objects.filter(user__email=EMAIL, type=Authenticator.Type.TOTP).exists()

    for name in ("mfa_index", "mfa_view_recovery_codes", "mfa_generate_recovery_codes", "mfa_deactivate_totp"):
        page = client.get(reverse(name), follow=True)
        codes = frozenset(re.findall(r"\b[a-z0-9]{8}\b", page.content.decode()))
        assert_russian_page(page, allowed=codes)
    for name in ("account_email", "account_change_password", "account_logout"):
        assert_russian_page(client.get(reverse(name)))

    # Signing in again: the password, then the authenticator code.
    client.post(reverse("account_logout"))
    time_machine.shift(60)  # a fresh 30-second code window: a used code is refused
    assert_russian_page(client.get(reverse("account_login")))
    client.post(reverse("account_login"), {"login": EMAIL, "password": PASSWORD})
    assert_russian_page(client.get(reverse("mfa_authenticate")))
    response = client.post(reverse("mfa_authenticate"), {"code": current_totp(secret)})
    assert response.status_code == 302
    assert client.get(reverse("profile")).status_code == 200


def test_a_forgotten_password_is_reset_in_russian(alice, mailoutbox):
    import re

    client = russian_client()
    assert_russian_page(client.get(reverse("account_reset_password")))
    response = client.post(reverse("account_reset_password"), {"email": "alice@example.com"}, follow=True)
    assert_russian_page(response)

    (mail,) = mailoutbox
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/[^\s]+/)", mail.body).group(1)
    form = client.get(link, follow=True)  # allauth moves the key into the session, then shows the form
    assert_russian_page(form)
    form_url = form.redirect_chain[-1][0] if form.redirect_chain else link
    done = client.post(form_url, {"password1": PASSWORD, "password2": PASSWORD}, follow=True)
    assert_russian_page(done)
    assert "изменён" in done.content.decode()


@pytest.mark.parametrize(
    ("template", "heading"),
    [
        ("500.html", "Что-то пошло не так"),
        ("403.html", "Нет доступа"),
        ("400.html", "С этим запросом что-то не так"),
    ],
)
def test_error_pages_speak_the_readers_language(rf, template, heading):
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("ru"):
        # Django renders 500.html without a request; the others get one.
        html = render_to_string(template, request=None if template == "500.html" else rf.get("/"))
    english = render_to_string(template, request=None if template == "500.html" else rf.get("/"))

    assert '<html lang="ru"' in html and heading in html
    assert '<html lang="en-gb"' in english
