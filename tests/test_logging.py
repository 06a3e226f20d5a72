"""No health data in logs or error e-mails: a crash while saving notes logs the path, not the notes."""

from __future__ import annotations

import io
import logging
import logging.config

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import path
from django.utils.log import AdminEmailHandler

NOTES = "woke at 3am, blood in urine again, told nobody"
TEMPERATURE = "38.9"
SYMPTOM = "saddle_numbness"
CRASH_PATH = "/test-only/crash/"


def crashing_view(request):
    # The worst case: an exception whose message quotes everything the person typed.
    raise RuntimeError(
        f"could not save night: notes={request.POST['notes']!r} temperature={request.POST['temperature_c']} "
        f"symptoms={request.POST.getlist('symptoms')}"
    )


def failing_form_view(request):
    # A 4xx is logged with the request attached too (django.request "Bad Request: ...").
    return HttpResponse(f"rejected {request.POST['notes']}", status=400)


# A test-only URLconf (this module), used through override_settings(ROOT_URLCONF=__name__).
urlpatterns = [
    path("test-only/crash/", crashing_view),
    path("test-only/bad/", failing_form_view),
]

HEALTH_POST = {"notes": NOTES, "temperature_c": TEMPERATURE, "symptoms": [SYMPTOM, "chills"], "night_pain": "9"}


def assert_no_health_data(text: str) -> None:
    assert NOTES not in text
    assert "blood in urine" not in text
    assert TEMPERATURE not in text
    assert SYMPTOM not in text


@pytest.fixture
def real_log_output():
    """The project's real console handler (from settings.LOGGING), writing into a buffer."""
    logging.config.dictConfig(settings.LOGGING)
    handlers = {h for logger_name in ("", "django", "django.server") for h in logging.getLogger(logger_name).handlers}
    assert handlers, "LOGGING configures no handler on the root or django logger"
    buffer = io.StringIO()
    old_streams = {h: h.setStream(buffer) for h in handlers if isinstance(h, logging.StreamHandler)}
    yield buffer
    for handler, stream in old_streams.items():
        handler.setStream(stream)


@override_settings(ROOT_URLCONF=__name__)
def test_a_crash_while_saving_notes_logs_the_path_but_not_the_notes(caplog, real_log_output):
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.INFO):
        response = client.post(CRASH_PATH, HEALTH_POST)
    assert response.status_code == 500
    assert_no_health_data(response.content.decode())

    # What pytest captured (a handler on the root logger, with no filter of its own) ...
    assert caplog.records, "the 500 was not logged at all"
    assert CRASH_PATH in caplog.text
    assert "RuntimeError" in caplog.text
    assert_no_health_data(caplog.text)
    for record in caplog.records:
        assert getattr(record, "request", None) is None
        assert_no_health_data(record.getMessage())

    # ... and what the real handler wrote, formatted with the traceback.
    written = real_log_output.getvalue()
    assert CRASH_PATH in written
    assert "RuntimeError: [message withheld]" in written
    assert "Traceback" in written
    assert_no_health_data(written)


@override_settings(ROOT_URLCONF=__name__)
def test_a_rejected_submission_logs_the_path_but_not_the_notes(caplog, real_log_output):
    with caplog.at_level(logging.INFO):
        response = Client().post("/test-only/bad/?notes=" + NOTES.replace(" ", "+"), HEALTH_POST)
    assert response.status_code == 400
    assert "/test-only/bad/" in caplog.text
    # The query string is left out too: it can carry what was typed.
    assert_no_health_data(caplog.text)
    assert_no_health_data(real_log_output.getvalue())


class RawHandler(logging.Handler):
    """Formats every record as it arrives, with no filter: like an error tracker added later."""

    def __init__(self):
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))


@override_settings(ROOT_URLCONF=__name__)
def test_a_handler_without_the_filter_still_gets_scrubbed_records(real_log_output):
    # Scrubbing must happen where Django logs the request, not depend on handler order.
    raw = RawHandler()
    loggers = [logging.getLogger(""), logging.getLogger("django")]
    for logger in loggers:
        logger.handlers.insert(0, raw)
    try:
        Client(raise_request_exception=False).post(CRASH_PATH, HEALTH_POST)
    finally:
        for logger in loggers:
            logger.removeHandler(raw)
    text = "\n".join(raw.lines)
    assert CRASH_PATH in text
    assert_no_health_data(text)


def test_no_error_emails_can_carry_health_data():
    assert settings.ADMINS == []
    every_logger = [logging.getLogger(), *(logging.getLogger(name) for name in list(logging.root.manager.loggerDict))]
    for logger in every_logger:
        for handler in getattr(logger, "handlers", []):
            assert not isinstance(handler, AdminEmailHandler), f"{logger.name} mails errors to admins"
    handler_classes = [h.get("class", "") for h in settings.LOGGING.get("handlers", {}).values()]
    assert not any("AdminEmailHandler" in cls for cls in handler_classes)


def test_every_configured_handler_scrubs_health_data():
    for name, handler in settings.LOGGING["handlers"].items():
        assert "scrub_health_data" in handler.get("filters", []), f"handler {name} has no scrub filter"


def test_share_link_tokens_are_masked_in_request_and_access_logs(real_log_output):
    token = "Zm9vYmFyLXNlY3JldC10b2tlbi1kby1ub3QtbG9n"
    logging.getLogger("django.request").warning("Not Found: %s", f"/s/{token}/")
    logging.getLogger("django.server").info('"GET /s/%s/pdf/ HTTP/1.1" 404 179', token)
    output = real_log_output.getvalue()
    assert token not in output
    assert output.count("/s/[token]/") == 2


def test_the_development_servers_access_log_keeps_its_request_line(real_log_output):
    logging.getLogger("django.server").info(
        '"%s" %s %s', "GET /diary/ HTTP/1.1", "200", "1234", extra={"request": object()}
    )
    assert '"GET /diary/ HTTP/1.1" 200 1234' in real_log_output.getvalue()
