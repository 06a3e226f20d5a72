"""Logging filter that keeps health data out of log output and error reports.

A crash while saving a night must not copy the night's notes, symptoms or temperature into a
log file. Django's request logger attaches the request (with its POST body) to the record, and
an exception's message may quote user input, so both are dropped: the log keeps the method, the
path, the status code, the exception type and the stack frames, which is what an engineer needs.
"""

from __future__ import annotations

import logging
import re
import traceback

# A share link's token is a bearer secret: /s/<token>/ paths are logged as /s/[token]/.
SHARE_TOKEN_PATH = re.compile(r"/s/[^/\s?]+")


def mask_share_tokens(text: str) -> str:
    return SHARE_TOKEN_PATH.sub("/s/[token]", text)


class ScrubHealthDataFilter(logging.Filter):
    # Applied on the django.request logger and again on the handler: it must be idempotent.
    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        # runserver's access log (django.server) attaches the raw socket, not an HttpRequest:
        # its message is the request line, which keeps its text (share tokens are masked below).
        if request is not None and hasattr(request, "method"):
            record.request = None
            status = getattr(record, "status_code", None)
            record.msg = "Request failed: %s %s" + (f" ({status})" if status else "")
            # The path only: the query string may carry what the person typed.
            record.args = (getattr(request, "method", "?"), getattr(request, "path", "?"))
        if record.exc_info and record.exc_info[1] is not None:
            exc_type, _exc, tb = record.exc_info
            frames = "".join(traceback.format_tb(tb))
            record.exc_text = f"Traceback (most recent call last):\n{frames}{exc_type.__name__}: [message withheld]"
            record.exc_info = None
        message = record.getMessage()
        if "/s/" in message:
            record.msg, record.args = mask_share_tokens(message), ()
        return True
