"""The fault test's judge (loadtest/fault_check.py): which failed requests count as "in flight on
the killed node", from nginx's own log. The run itself is `make fault-test` (docs/scaling.md)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("fault_check", ROOT / "loadtest" / "fault_check.py")
fault_check = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("fault_check", fault_check)  # dataclasses look their module up there
_spec.loader.exec_module(fault_check)

NODE1, NODE2 = "127.0.0.1:8181", "127.0.0.1:8182"
KILL = fault_check.Kill(node=NODE1, signalled=1000.0, dead=1000.05)


def nginx_line(
    end: float, status: int, upstreams: str, took: float, request_id: str, request: str = "POST /log/"
) -> str:
    statuses = ", ".join("502" for _ in upstreams.split(", "))
    return f'{end:.3f} "{request} HTTP/1.1" {status} upstream={upstreams} upstream_status={statuses} time={took:.3f} id={request_id}'


@pytest.fixture
def log(tmp_path):
    lines = [
        nginx_line(1000.30, 502, NODE1, 0.40, "in-flight"),  # read 999.90, the node died under it
        nginx_line(1000.08, 502, NODE1, 0.01, "stale-keepalive"),  # read 1000.07: 20 ms after the death
        nginx_line(1001.20, 502, NODE1, 0.01, "long-dead"),  # read 1001.19: over a second after it
        nginx_line(1000.50, 502, NODE2, 0.10, "other-node"),  # the node that stayed up failed
        nginx_line(1000.60, 200, f"{NODE1}, {NODE2}", 0.30, "passed-on", "GET /diary/"),
        nginx_line(1000.70, 502, f"{NODE1}, {NODE2}", 0.30, "both-failed", "GET /diary/"),
        "not an answer line",
    ]
    path = tmp_path / "nginx-access.log"
    path.write_text("\n".join(lines) + "\n")
    return path


def failure(request_id: str, start: float = 999.9, end: float = 1000.3) -> dict:
    return {"request_id": request_id, "start": start, "end": end, "status": 502}


def test_nginx_lines_are_read_with_their_request_id_and_start(log):
    entries = fault_check.read_nginx_log(log)
    assert len(entries) == 6
    first = entries[0]
    assert first.request_id == "in-flight"
    assert first.upstreams == (NODE1,)
    assert first.start == pytest.approx(999.90)
    assert entries[4].upstreams == (NODE1, NODE2)


def test_only_requests_nginx_had_handed_to_the_killed_node_before_it_was_gone_count_as_in_flight(log):
    by_id = fault_check.by_request_id(fault_check.read_nginx_log(log))
    assert fault_check.in_flight(failure("in-flight"), KILL, by_id)
    # Handed to a keep-alive connection nginx had not yet seen closed, within the grace.
    assert fault_check.in_flight(failure("stale-keepalive", 1000.07, 1000.08), KILL, by_id)
    assert not fault_check.in_flight(failure("long-dead", 1001.19, 1001.2), KILL, by_id)
    assert not fault_check.in_flight(failure("other-node"), KILL, by_id)
    assert not fault_check.in_flight(failure("both-failed"), KILL, by_id)  # the other node answered 502
    assert not fault_check.in_flight(failure("not-in-the-log"), KILL, by_id)
    assert not fault_check.in_flight({"start": 999.9, "end": 1000.3}, KILL, by_id)  # no id: no evidence
    # Answered (with a failure) before the SIGKILL: not the kill's doing.
    assert not fault_check.in_flight(failure("in-flight", 999.0, 999.5), KILL, by_id)


def test_a_5xx_from_the_node_that_stayed_up_is_a_problem(log, capsys):
    problems = fault_check.check_nginx_log(fault_check.read_nginx_log(log), KILL, restarted=1020.0)
    assert len(problems) == 1
    assert "2 5xx answer(s)" in problems[0]  # "other-node" and "both-failed"
    printed = capsys.readouterr().out
    assert "requests passed on to the second node: 2" in printed
    assert "failed there" in printed
