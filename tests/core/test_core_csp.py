"""The Content-Security-Policy header (issue 8): strict on every HTML page, the API docs without inline code,
and downloads keep their own sandboxing policy."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from oversight.core.files import DOWNLOAD_CSP


def directives(header: str) -> dict[str, set[str]]:
    out = {}
    for part in header.split(";"):
        name, *values = part.split()
        out[name] = set(values)
    return out


@pytest.fixture
def supervisor_client(world):
    client = Client()
    client.force_login(world.users["client_supervisor"])
    return client


@pytest.mark.parametrize("url", ["/login/", "/board/", "/reports/dashboard/", "/api/docs/"])
def test_html_pages_carry_the_strict_policy(world, supervisor_client, url):
    client = supervisor_client if url != "/login/" else Client()
    response = client.get(url)
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == {"'self'"}
    assert policy["script-src"] == {"'self'"}
    assert policy["style-src"] == {"'self'"}
    assert policy["object-src"] == {"'none'"}
    assert policy["frame-ancestors"] == {"'none'"}
    assert policy["base-uri"] == {"'self'"}
    assert policy["form-action"] == {"'self'"}
    assert not any("unsafe" in value for values in policy.values() for value in values)


def test_the_api_docs_have_no_inline_script_or_style(world, supervisor_client):
    page = supervisor_client.get("/api/docs/").content.decode()
    assert "<style" not in page
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []  # every script is loaded from a URL
    script_url = re.search(r'<script src="([^"]*script=[^"]*)"', page).group(1).replace("&amp;", "&")
    script = supervisor_client.get(script_url)
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content


def test_a_download_keeps_its_sandbox_policy(world, supervisor_client):
    """The middleware never replaces the policy download_response set (no scripts, a unique origin)."""
    response = supervisor_client.get("/board/export.csv")
    assert response.status_code == 200, response
    assert response["Content-Security-Policy"] == DOWNLOAD_CSP
