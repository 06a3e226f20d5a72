"""A realistic mix for the diary: log a night, browse the diary, read the report and an article,
now and then download the PDF. Every simulated person signs up with an account of their own.

Run by scripts/loadtest.sh (gunicorn + PostgreSQL on 127.0.0.1); see docs/load-test.md.
"""

from __future__ import annotations

import os
import random
import re
import uuid
from datetime import UTC, datetime, timedelta

from locust import HttpUser, between, task

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SELECTED_BED = re.compile(r'<option value="(\d+)"[^>]*selected')
ARTICLE_LINK = re.compile(r'href="/articles/([a-z0-9-]+)/"')
PASSWORD = "load-test-pass-7391"  # noqa: S105  # nosec B105  # a throwaway account on a throwaway database


def csrf_token(html: str) -> str:
    match = CSRF_FIELD.search(html)
    if match is None:
        raise ValueError("no CSRF token in the page")
    return match.group(1)


class DiaryUser(HttpUser):
    # People read a page before clicking the next one (the one-user baseline run shortens this).
    wait_time = between(float(os.environ.get("LOCUST_WAIT_MIN", "1")), float(os.environ.get("LOCUST_WAIT_MAX", "4")))

    def on_start(self) -> None:
        self.email = f"load-{uuid.uuid4().hex[:12]}@example.org"
        self.nights_logged = 0
        page = self.client.get("/accounts/signup/", name="sign up (form)")
        with self.client.post(
            "/accounts/signup/",
            {
                "csrfmiddlewaretoken": csrf_token(page.text),
                "email": self.email,
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
            name="sign up",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-up answered {response.status_code}")
        articles = self.client.get("/articles/", name="articles (list)")
        self.article_slugs = sorted(set(ARTICLE_LINK.findall(articles.text))) or ["when-to-see-a-doctor"]

    @task(3)
    def log_a_night(self) -> None:
        self.save_night()

    def save_night(self) -> None:
        form = self.client.get("/log/", name="log a night (form)")
        # One night per morning, going back a day each time; dates are UTC like the new profile's.
        day = datetime.now(UTC).date() - timedelta(days=self.nights_logged)
        data = {
            "csrfmiddlewaretoken": csrf_token(form.text),
            "date": day.isoformat(),
            "night_pain": str(random.randint(0, 8)),  # noqa: S311  # nosec B311  # test data, not security
            "woke_by_pain": random.choice(["no", "no", "early", "late"]),  # noqa: S311  # nosec B311
            "pain_areas": ["lower_back"],
            "morning_quick": random.choice(["0", "5", "15", "30", "60"]),  # noqa: S311  # nosec B311
            "eased_by": ["movement"],
            "notes": "Load test night",
        }
        bed = SELECTED_BED.search(form.text)
        if bed:
            data["bed"] = bed.group(1)
        else:
            data.update(new_bed_name="My bed", new_bed_kind="mattress", new_bed_firmness="unknown")
        with self.client.post(
            "/log/", data, name="log a night", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code == 302:
                self.nights_logged += 1
            else:
                response.failure(f"saving the night answered {response.status_code}")

    @task(3)
    def view_diary(self) -> None:
        self.client.get("/diary/", name="diary")

    @task(2)
    def view_report(self) -> None:
        self.client.get("/report/", name="report")

    @task(3)
    def read_an_article(self) -> None:
        slug = random.choice(self.article_slugs)  # noqa: S311  # nosec B311
        self.client.get(f"/articles/{slug}/", name="article")

    @task(1)
    def download_pdf(self) -> None:
        with self.client.get("/report/pdf/", name="report PDF", catch_response=True) as response:
            if response.status_code == 200 and not response.content.startswith(b"%PDF"):
                response.failure("the PDF download is not a PDF")
