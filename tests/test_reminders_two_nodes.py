"""Two nodes run `send_reminders` at the same minute: every due reminder is sent exactly once.

Each "node" is a separate Python process with its own database connection, as two cron jobs on
two machines would be. The claim is the conditional UPDATE in diary.reminders.send_reminder
(as Healthchecks' sendalerts claims a check): only the process whose UPDATE still finds the old
`reminder_last_sent_on` sends. PostgreSQL only: SQLite serialises writers and has no second node.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import time
from pathlib import Path

import pytest
from django.db import connection

from diary.models import Profile
from tests.factories import make_user

ROOT = Path(__file__).resolve().parent.parent
PEOPLE = 60

pytestmark = [
    pytest.mark.shared_state,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs two processes on one shared database: run with DATABASE_URL on PostgreSQL (CI does)",
    ),
    pytest.mark.django_db(transaction=True),  # the other processes must see committed rows
]

# One node: set up Django on the test database, write every e-mail to its own folder, then either
# run the real command, or first read what is due, wait until the other node has read it too (the
# worst interleaving: both believe every reminder is theirs), and only then send.
NODE = """
import os, sys, time
from pathlib import Path
import django
django.setup()
from django.conf import settings
settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
settings.EMAIL_FILE_PATH = sys.argv[2]
mode, here = sys.argv[1], Path(sys.argv[3])
if mode == "command":
    from django.core.management import call_command
    (here / f"ready-{os.getpid()}").touch()
    while len(list(here.glob("ready-*"))) < 2:
        time.sleep(0.01)
    call_command("send_reminders", verbosity=0)
else:
    from diary.reminders import find_due_reminders, send_reminder
    due = find_due_reminders()
    (here / f"ready-{os.getpid()}").touch()
    deadline = time.monotonic() + 30
    while len(list(here.glob("ready-*"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    sent = sum(send_reminder(r) for r in due)
    print(len(due), sent)
"""


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def run_two_nodes(mode: str, tmp_path: Path) -> tuple[list[str], list[str]]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DEBUG": "true",
        "DJANGO_SETTINGS_MODULE": "backpain_site.settings",
    }
    outboxes = [tmp_path / "node-a", tmp_path / "node-b"]
    nodes = [
        subprocess.Popen(  # noqa: S603  # nosec B603  # our own interpreter and script
            [sys.executable, "-c", NODE, mode, str(outbox), str(tmp_path)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for outbox in outboxes
    ]
    outputs = [node.communicate(timeout=120) for node in nodes]
    for node, (_out, err) in zip(nodes, outputs, strict=True):
        assert node.returncode == 0, err
    recipients = []
    for outbox in outboxes:
        for message in outbox.glob("*.log") if outbox.exists() else []:
            recipients += [line[4:].strip() for line in message.read_text().splitlines() if line.startswith("To: ")]
    return recipients, [out for out, _err in outputs]


def people_due(django_user_model) -> list[str]:
    emails = [f"person{i}@example.org" for i in range(PEOPLE)]
    for email in emails:
        make_user(django_user_model, email)
    # Midnight in London: due at any hour of the day the test runs.
    Profile.objects.update(reminder_enabled=True, reminder_time=time(0, 0), reminder_last_sent_on=None)
    return emails


def test_two_nodes_that_both_read_every_due_reminder_send_each_once(django_user_model, tmp_path):
    emails = people_due(django_user_model)
    recipients, outputs = run_two_nodes("interleaved", tmp_path)
    due = [tuple(map(int, out.split())) for out in outputs]
    assert [read for read, _sent in due] == [PEOPLE, PEOPLE]  # both nodes thought all were theirs
    assert sum(sent for _read, sent in due) == PEOPLE
    assert sorted(recipients) == sorted(emails)  # each person once, nobody twice, nobody missed
    assert Profile.objects.filter(reminder_last_sent_on__isnull=True).count() == 0


def test_two_nodes_running_the_command_at_the_same_moment_send_each_once(django_user_model, tmp_path):
    emails = people_due(django_user_model)
    recipients, _outputs = run_two_nodes("command", tmp_path)
    assert sorted(recipients) == sorted(emails)
