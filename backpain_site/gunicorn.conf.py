"""gunicorn settings for one node: `gunicorn -c backpain_site/gunicorn.conf.py backpain_site.wsgi`.

Chosen from measurements on a 2-core node (docs/scaling.md): 5 processes x 4 threads (gthread).
A sync worker serves one request at a time, so one 0.2-0.9 s WeasyPrint PDF held a whole worker
while every page queued behind it; with threads, a PDF or a password hash being waited for holds
one thread of four and the pages go on. Five processes rather than two: each process runs one
thread of Python at a time (the GIL), and keep-alive connections stay with the process that
accepted them, so with two a page often waited for its process while the other core was idle;
with five the pages' p95 was 30-50 % lower in the 50-user run (and each process has its own PDF
process), for ~1 GB of memory per node and 5 x 4 database connections.
Every value can be changed from the environment for a measurement or a bigger machine.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
workers = int(os.environ.get("GUNICORN_WORKERS", "5"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A request that takes longer than this is killed (the longest PDF renders in < 5 s).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 20
# Behind nginx: idle connections live longer here than nginx keeps them (upstream
# keepalive_timeout 10 s in scripts/cluster.sh), so nginx, not gunicorn, always closes them.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "20"))
# Each process renders its own pages; restart one now and then so memory growth cannot build up.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")


def post_worker_init(worker):
    """Start this worker's PDF process now, so the first PDF does not wait for it (a second or two)."""
    from django.conf import settings

    if settings.PDF_RENDER_PROCESSES > 0:
        from backpain_site.pdf_process import warm_up

        warm_up(settings.PDF_RENDER_PROCESSES)
