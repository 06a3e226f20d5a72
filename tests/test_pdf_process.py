"""PDF layout in a separate low-priority process (PDF_RENDER_PROCESSES), as production runs it."""

from __future__ import annotations

import os
from datetime import date

import pytest
from django.urls import reverse

from backpain_site import pdf_process
from tests.factories import make_night


@pytest.fixture(scope="module", autouse=True)
def _stop_the_pool_afterwards():
    yield  # one pool for the module: starting a process and loading WeasyPrint takes seconds
    pdf_process._forget_pool()


@pytest.fixture
def pdf_pool(settings):
    settings.PDF_RENDER_PROCESSES = 1


@pytest.mark.django_db
def test_the_report_pdf_is_laid_out_in_a_pool_process(pdf_pool, alice_client, alice, monkeypatch):
    make_night(alice, date=date(2026, 11, 1), night_pain=7)
    submitted = []
    real_pool = pdf_process._pool

    def spy(processes):
        pool = real_pool(processes)
        submitted.append(processes)
        return pool

    monkeypatch.setattr(pdf_process, "_pool", spy)
    response = alice_client.get(reverse("diary:report-pdf"), {"start": "2026-10-01", "end": "2026-11-30"})
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert submitted == [1]
    worker_pids = set(pdf_process._executor._processes)
    assert worker_pids and os.getpid() not in worker_pids


def test_pool_processes_run_at_a_lower_cpu_priority(pdf_pool):
    assert pdf_process.pool_niceness() >= min(os.nice(0) + pdf_process.PDF_NICE, 19)


def test_without_a_pool_the_layout_runs_in_the_request_process(monkeypatch):
    monkeypatch.setattr(pdf_process, "_pool", _no_pool)
    pdf = pdf_process.render_pdf("<p>hello</p>", ["@page { size: A4; }"], processes=0, timeout=10)
    assert pdf.startswith(b"%PDF")


def _no_pool(processes):
    raise AssertionError("a pool was used")


def test_a_worker_can_start_its_pdf_process_before_the_first_pdf(pdf_pool):
    pdf_process.warm_up(1)
    assert pdf_process._executor._processes
