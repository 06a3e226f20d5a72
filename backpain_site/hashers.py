"""Password hashing at a lower CPU priority, at most PASSWORD_HASH_THREADS hashes at once per process.

Argon2 is slow on purpose (0.25 s of CPU here) and Django's parameters run it in 8 lanes, i.e. 8
threads at once: a sign-up or log-in took both cores of a node for ~0.15 s, and under load the
Linux scheduler gave those 8 threads eight times the share of one page's thread: when the CPU
was short (a burst of sign-ups), pages waited behind them (docs/scaling.md). Here the hash runs in a small pool of threads of
the web worker (argon2-cffi releases the GIL) whose niceness is PASSWORD_HASH_NICE (+10, as the
PDF processes): the lanes Argon2 starts inherit it, pages at normal priority get the CPU first and
hashes use what is left; on an idle node a hash takes as long as before. At most
PASSWORD_HASH_THREADS hashes run at once per process (each holds 100 MB for its moment), and at
most PASSWORD_HASH_QUEUE more wait for them: on an overloaded node a further request hashes in
its own thread, so waiting sign-ups never hold every request thread. The hash itself (the
algorithm, its parameters, the constant-time check, the dummy hash for unknown e-mails) is
Django's own, unchanged: this only decides on which thread it runs.

Linux only (its niceness is per thread); elsewhere, or with PASSWORD_HASH_THREADS = 0 (the default
under DEBUG and in tests), the hash runs in the request's own thread as in stock Django.
"""

from __future__ import annotations

import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher, PBKDF2PasswordHasher

_executor: ThreadPoolExecutor | None = None
_executor_key: tuple[int, int, int] | None = None
_lock = threading.Lock()
_here = threading.local()  # .hashing is True on a hashing thread


def _lower_this_threads_priority(nice: int) -> None:
    # On Linux, PRIO_PROCESS with a thread id sets that thread's niceness only; the threads it
    # starts (Argon2's lanes) inherit it. An unprivileged process cannot raise it back, which is
    # why the hashes get threads of their own instead of lowering a request's thread for a while.
    tid = threading.get_native_id()
    os.setpriority(os.PRIO_PROCESS, tid, min(os.getpriority(os.PRIO_PROCESS, tid) + nice, 19))
    _here.hashing = True


def _pool(threads: int, nice: int) -> ThreadPoolExecutor:
    global _executor, _executor_key
    key = (os.getpid(), threads, nice)
    with _lock:
        # One pool per process (gunicorn forks its workers: a parent's threads do not follow).
        if _executor is None or _executor_key != key:
            _executor = ThreadPoolExecutor(
                max_workers=threads,
                thread_name_prefix="password-hash",
                initializer=_lower_this_threads_priority,
                initargs=(nice,),
            )
            _executor_key = key
        return _executor


_in_pool = 0  # hashes running or waiting in this process's pool


def run_hash(function, *args):
    """function(*args) on a low-priority hashing thread of this process (see the module's docstring).

    A request waits for at most PASSWORD_HASH_QUEUE hashes ahead of it: past that (the node is
    overloaded, the low-priority threads get no CPU), it hashes in its own thread at its own
    priority, as stock Django does, so that waiting sign-ups cannot hold every request thread."""
    global _in_pool
    threads = getattr(settings, "PASSWORD_HASH_THREADS", 0)
    # Already on a hashing thread (PBKDF2's verify calls its own encode): go on here, as waiting
    # for another hashing thread from the only one would never end.
    if threads <= 0 or sys.platform != "linux" or getattr(_here, "hashing", False):
        return function(*args)
    with _lock:
        if _in_pool >= threads + getattr(settings, "PASSWORD_HASH_QUEUE", 2):
            queued = False
        else:
            _in_pool += 1
            queued = True
    if not queued:
        return function(*args)
    try:
        return _pool(threads, getattr(settings, "PASSWORD_HASH_NICE", 10)).submit(function, *args).result()
    finally:
        with _lock:
            _in_pool -= 1


def hash_thread_niceness() -> int:
    """The niceness of a hashing thread (for tests and the health of the set-up)."""
    return run_hash(lambda: os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))


class LowPriorityHashing:
    """Runs the hasher's encode and verify (the costly parts) through run_hash()."""

    def encode(self, password, salt, *args, **kwargs):
        return run_hash(lambda: super(LowPriorityHashing, self).encode(password, salt, *args, **kwargs))

    def verify(self, password, encoded):
        return run_hash(lambda: super(LowPriorityHashing, self).verify(password, encoded))


class LowPriorityArgon2PasswordHasher(LowPriorityHashing, Argon2PasswordHasher):
    """Django's Argon2 hasher (same algorithm name, parameters and hashes), at a lower priority."""


class LowPriorityPBKDF2PasswordHasher(LowPriorityHashing, PBKDF2PasswordHasher):
    """Django's PBKDF2 hasher (for older hashes, upgraded to Argon2 at the next log-in), likewise."""
