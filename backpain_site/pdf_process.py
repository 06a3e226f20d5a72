"""WeasyPrint's layout, the costly part of a PDF, in a separate low-priority process.

A PDF takes 0.2-0.9 s of CPU (more for a long diary). Rendered inside a web worker it holds that
worker, and under load every page queued behind it (docs/scaling.md). With
PDF_RENDER_PROCESSES = N > 0, each web worker process hands the layout to its own pool of N
processes that run at a lower CPU priority (nice +10): pages, at normal priority, take the CPU
first, PDFs use what is left, and a worker thread waiting for a PDF uses no CPU and holds no GIL.
At most N PDFs per worker are laid out at once; more wait their turn.

With 0 (the default under DEBUG and in tests) the layout runs in the request's own process.
This module imports nothing from Django at the top: the pool's processes are started with
"spawn" and import only it and WeasyPrint, never the web worker's state, connections or threads.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

PDF_NICE = 10

_executor: ProcessPoolExecutor | None = None
_executor_pid: int | None = None
_lock = threading.Lock()


def layout_pdf(html: str, stylesheets: list[str]) -> bytes:
    """HTML and CSS text to PDF bytes. Only data: URIs (the embedded charts) may be loaded."""
    from weasyprint import CSS, HTML, URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=False)
    return HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=[CSS(string=css) for css in stylesheets])


def _start_pdf_process() -> None:
    os.nice(PDF_NICE)
    import weasyprint  # noqa: F401  # loaded once per process, not per PDF


def _pool(processes: int) -> ProcessPoolExecutor:
    global _executor, _executor_pid
    with _lock:
        # A forked web worker must not use its parent's pool: one pool per process id.
        if _executor is None or _executor_pid != os.getpid():
            _executor = ProcessPoolExecutor(
                max_workers=processes, mp_context=multiprocessing.get_context("spawn"), initializer=_start_pdf_process
            )
            _executor_pid = os.getpid()
        return _executor


def _forget_pool() -> None:
    global _executor
    with _lock:
        if _executor is not None:
            _executor.shutdown(wait=False, cancel_futures=True)
        _executor = None


def render_pdf(html: str, stylesheets: list[str], *, processes: int, timeout: float) -> bytes:
    if processes <= 0:
        return layout_pdf(html, stylesheets)
    try:
        return _pool(processes).submit(layout_pdf, html, stylesheets).result(timeout=timeout)
    except BrokenProcessPool:
        _forget_pool()  # a PDF process died (e.g. out of memory): the next PDF starts a fresh pool
        raise


def warm_up(processes: int) -> None:
    """Start the pool's processes (and their WeasyPrint import) without waiting for them."""
    _pool(processes).submit(int)


def pool_niceness(processes: int = 1) -> int:
    """The niceness of a PDF process (for tests and the health of the set-up)."""
    return _pool(processes).submit(os.nice, 0).result(timeout=60)
