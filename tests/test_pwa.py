"""Installable web app: manifest, icons and a service worker that never stores private pages."""

from __future__ import annotations

import json

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_manifest_describes_an_installable_app(client):
    response = client.get(reverse("manifest"))
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == "/"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes


def test_manifest_icons_are_real_files():
    for name in ("icons/icon-192.png", "icons/icon-512.png", "icons/icon.svg"):
        assert finders.find(name), name


def test_every_page_links_the_manifest(client):
    html = client.get(reverse("home")).content.decode()
    assert 'rel="manifest"' in html
    assert 'name="theme-color"' in html


def test_service_worker_only_caches_static_files(client):
    response = client.get(reverse("service-worker"))
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    body = response.content.decode()
    assert 'startsWith("/static/")' in body
    assert "no-cache" in response["Cache-Control"]


def test_private_pages_are_never_stored_by_browsers_or_workers(alice_client):
    response = alice_client.get(reverse("profile"))
    assert "no-store" in response["Cache-Control"]


def test_bootstrap_is_served_locally_not_from_a_cdn(client):
    html = client.get(reverse("home")).content.decode()
    assert "cdn" not in html.lower()
    assert finders.find("vendor/bootstrap/css/bootstrap.min.css")
    assert finders.find("vendor/bootstrap/js/bootstrap.bundle.min.js")


def test_robots_txt_keeps_private_areas_out_of_search_engines(client):
    body = client.get(reverse("robots-txt")).content.decode()
    assert "Disallow: /diary/" in body
    assert "Disallow: /s/" in body
