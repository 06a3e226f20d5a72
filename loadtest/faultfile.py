"""The load test's mix, with a record of every night posted and every failed request.

Used by scripts/faulttest.sh, which kills one node in the middle of the run: afterwards
loadtest/fault_check.py compares these records with the database. Each line of the files named
by FAULT_POSTS and FAULT_FAILURES is one JSON object (times are epoch seconds).

A night whose POST failed is never posted again (the person moves on to the previous day), so a
night saved by a node that died before it could answer is neither lost nor hidden by a retry.
"""

from __future__ import annotations

import json
import os
import random
import time
import uuid
from datetime import UTC, datetime, timedelta

import locustfile as mix  # loadtest/locustfile.py (locust puts this folder on sys.path)
from locust import events

POSTS = open(os.environ["FAULT_POSTS"], "a", buffering=1)  # noqa: SIM115  # one line per record, kept open for the run
FAILURES = open(os.environ["FAULT_FAILURES"], "a", buffering=1)  # noqa: SIM115


# Every request carries an id of its own, which nginx writes into its access log (scripts/cluster.sh):
# fault_check.py finds each failed request there and sees which node nginx had handed it to.
REQUEST_ID = "X-Request-ID"


def request_id_of(response) -> str:
    request = getattr(response, "request", None)
    return (request.headers.get(REQUEST_ID, "") if request is not None else "") or ""


@events.request.add_listener
def record_failure(request_type, name, response_time, response_length, exception, start_time=None, **kwargs):
    if exception is None:
        return
    response = kwargs.get("response")
    status = getattr(response, "status_code", 0) or 0
    started = start_time if start_time is not None else time.time() - response_time / 1000
    FAILURES.write(
        json.dumps(
            {
                "method": request_type,
                "name": name,
                "status": status,
                "request_id": request_id_of(response),
                "start": started,
                "end": started + response_time / 1000,
                "error": str(exception)[:200],
            }
        )
        + "\n"
    )


# Only this class is in the module's namespace, so locust runs only it (not the plain mix too).
class FaultDiaryUser(mix.DiaryUser):
    def on_start(self) -> None:
        # Each person has an address of their own, named as an outer TLS proxy would name it
        # (the cluster trusts two proxies: that one and its nginx), so per-address limits and
        # their locks are per person, as in production, not one for everybody on 127.0.0.1.
        self.client.headers["X-Forwarded-For"] = (
            f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"  # noqa: S311  # nosec B311
        )
        send = self.client.request

        def request_with_an_id(method, url, *args, **kwargs):
            kwargs["headers"] = {**(kwargs.get("headers") or {}), REQUEST_ID: uuid.uuid4().hex}
            return send(method, url, *args, **kwargs)

        self.client.request = request_with_an_id
        # A sign-up in flight on the killed node fails: the person tries again, with a new address.
        for _attempt in range(5):
            super().on_start()
            if self.client.cookies.get("sessionid"):
                return

    def save_night(self) -> None:
        form = self.client.get("/log/", name="log a night (form)")
        if form.status_code != 200 or not form.url.endswith("/log/"):
            return
        day = datetime.now(UTC).date() - timedelta(days=self.nights_logged)
        data = {
            "csrfmiddlewaretoken": mix.csrf_token(form.text),
            "date": day.isoformat(),
            "night_pain": str(random.randint(0, 8)),  # noqa: S311  # nosec B311  # test data
            "woke_by_pain": "no",
            "pain_areas": ["lower_back"],
            "morning_quick": "15",
            "eased_by": ["movement"],
            "notes": "Fault test night",
        }
        bed = mix.SELECTED_BED.search(form.text)
        if bed:
            data["bed"] = bed.group(1)
        else:
            data.update(new_bed_name="My bed", new_bed_kind="mattress", new_bed_firmness="unknown")
        started = time.time()
        status = 0
        # First "sent", then "answered": a POST cut off when locust stops its users at the end of
        # the run has only the first, and its night (if the node committed it) is still accounted for.
        POSTS.write(
            json.dumps({"phase": "sent", "email": self.email, "date": day.isoformat(), "start": started}) + "\n"
        )
        with self.client.post(
            "/log/", data, name="log a night", allow_redirects=False, catch_response=True
        ) as response:
            status = response.status_code or 0
            request_id = request_id_of(response)
            ok = status == 302 and response.headers.get("Location", "").endswith("/diary/")
            if not ok:
                response.failure(f"saving the night answered {status}")
        POSTS.write(
            json.dumps(
                {
                    "phase": "answered",
                    "email": self.email,
                    "date": day.isoformat(),
                    "status": status,
                    "saved": ok,
                    "request_id": request_id,
                    "start": started,
                    "end": time.time(),
                }
            )
            + "\n"
        )
        # Success or not, the next night is the day before: a failed POST is never repeated.
        self.nights_logged += 1
