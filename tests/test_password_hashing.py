"""Passwords are hashed by Django's Argon2, unchanged, on low-priority threads (backpain_site/hashers.py)."""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import (
    Argon2PasswordHasher,
    PBKDF2PasswordHasher,
    check_password,
    get_hasher,
    make_password,
)
from django.urls import reverse

from backpain_site import hashers

linux_only = pytest.mark.skipif(sys.platform != "linux", reason="per-thread niceness is Linux's")
SITE_HASHERS = [
    "backpain_site.hashers.LowPriorityArgon2PasswordHasher",
    "backpain_site.hashers.LowPriorityPBKDF2PasswordHasher",
]


@pytest.fixture
def site_hashers(settings):
    settings.PASSWORD_HASHERS = SITE_HASHERS
    settings.PASSWORD_HASH_THREADS = 1
    settings.PASSWORD_HASH_NICE = 10


def thread_niceness(tid: int) -> int:
    return os.getpriority(os.PRIO_PROCESS, tid)


def test_the_site_hashes_with_argon2_and_its_default_parameters(site_hashers):
    hasher = get_hasher()
    stock = Argon2PasswordHasher()
    assert isinstance(hasher, hashers.LowPriorityArgon2PasswordHasher)
    assert hasher.algorithm == "argon2"
    assert (hasher.time_cost, hasher.memory_cost, hasher.parallelism) == (
        stock.time_cost,
        stock.memory_cost,
        stock.parallelism,
    )
    encoded = make_password("a-long-unusual-pass-42")
    # The stored hash is a standard Django Argon2 hash, and stock Argon2 hashes still verify.
    assert stock.verify("a-long-unusual-pass-42", encoded)
    assert not stock.verify("another-pass-42", encoded)
    assert check_password("a-long-unusual-pass-42", stock.encode("a-long-unusual-pass-42", stock.salt()))
    assert not check_password("another-pass-42", encoded)
    assert not hasher.must_update(encoded)


@linux_only
def test_hashing_runs_on_a_lower_priority_thread_and_argon2s_lanes_inherit_it(site_hashers):
    here = threading.get_native_id()
    assert hashers.hash_thread_niceness() >= min(thread_niceness(here) + 10, 19)
    assert thread_niceness(here) == os.nice(0)  # the request's own thread keeps its priority

    # Every thread started while a hash runs (Argon2's lanes, started by the hashing thread) is
    # niced too. (Threads that were there before, e.g. other tests' servers, are not looked at.)
    before = {int(name) for name in os.listdir("/proc/self/task")}
    lanes: dict[int, int] = {}
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            for name in os.listdir("/proc/self/task"):
                tid = int(name)
                if tid not in before:
                    with contextlib.suppress(OSError):  # a lane that ended meanwhile
                        lanes[tid] = min(lanes.get(tid, 19), thread_niceness(tid))
            time.sleep(0.001)

    watcher = threading.Thread(target=watch)
    watcher.start()
    before.add(watcher.native_id)
    try:
        make_password("a-long-unusual-pass-42")
    finally:
        done.set()
        watcher.join()
    lanes.pop(watcher.native_id, None)
    assert lanes, "no Argon2 lane seen"
    assert all(nice >= min(os.nice(0) + 10, 19) for nice in lanes.values()), lanes


class SlowHash:
    """Stands for a hash: records on which threads it ran and how many ran at once."""

    def __init__(self) -> None:
        self.running = 0
        self.most = 0
        self.threads: list[int] = []
        self.lock = threading.Lock()

    def __call__(self) -> None:
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)
            self.threads.append(threading.get_native_id())
        time.sleep(0.1)
        with self.lock:
            self.running -= 1

    def run_from(self, requests: int) -> list[int]:
        """run_hash(self) from `requests` threads at once; their own thread ids."""
        started = [threading.Thread(target=hashers.run_hash, args=(self,)) for _ in range(requests)]
        for thread in started:
            thread.start()
        for thread in started:
            thread.join()
        return [thread.native_id for thread in started]


@linux_only
def test_at_most_the_configured_number_of_hashes_run_at_once(site_hashers, settings):
    settings.PASSWORD_HASH_QUEUE = 10
    slow = SlowHash()
    requests = slow.run_from(6)
    assert slow.most == settings.PASSWORD_HASH_THREADS == 1
    assert not set(slow.threads) & set(requests)  # all on the hashing thread


@linux_only
def test_past_the_queue_a_request_hashes_in_its_own_thread(site_hashers, settings):
    """On an overloaded node, waiting sign-ups must not hold every request thread."""
    settings.PASSWORD_HASH_QUEUE = 2
    slow = SlowHash()
    requests = slow.run_from(6)
    in_pool = [tid for tid in slow.threads if tid not in requests]
    assert 1 <= len(in_pool) <= settings.PASSWORD_HASH_THREADS + settings.PASSWORD_HASH_QUEUE
    assert len(slow.threads) == 6  # every hash ran, the others in their request's own thread


@linux_only
def test_an_older_pbkdf2_hash_still_verifies_and_is_upgraded_to_argon2(site_hashers):
    """PBKDF2's verify calls its own encode, from the hashing thread: it must not wait for itself."""
    old = PBKDF2PasswordHasher().encode("a-long-unusual-pass-42", "somesalt")
    upgraded = []
    answers = []

    def log_in() -> None:  # as ModelBackend does: check, and re-hash with the preferred hasher
        answers.append(
            check_password("a-long-unusual-pass-42", old, setter=lambda raw: upgraded.append(make_password(raw)))
        )
        answers.append(check_password("another-pass-42", old))

    request = threading.Thread(target=log_in, daemon=True)
    request.start()
    request.join(timeout=60)
    assert answers == [True, False]
    assert len(upgraded) == 1 and upgraded[0].startswith("argon2$")


def test_without_hashing_threads_the_hash_runs_in_the_request_thread(settings):
    settings.PASSWORD_HASH_THREADS = 0
    assert hashers.run_hash(threading.get_native_id) == threading.get_native_id()


@pytest.mark.django_db
def test_sign_up_and_log_in_through_the_low_priority_hasher(client, site_hashers):
    response = client.post(
        reverse("account_signup"),
        {"email": "erin@example.com", "password1": "a-long-unusual-pass-42", "password2": "a-long-unusual-pass-42"},
    )
    assert response.status_code == 302
    assert get_user_model().objects.get(email="erin@example.com").password.startswith("argon2$argon2id$")
    client.logout()
    wrong = client.post(reverse("account_login"), {"login": "erin@example.com", "password": "not-the-pass-42"})
    assert wrong.status_code == 200
    right = client.post(reverse("account_login"), {"login": "erin@example.com", "password": "a-long-unusual-pass-42"})
    assert right.status_code == 302
