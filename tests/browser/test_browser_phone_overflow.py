"""No page scrolls sideways on a 375 × 812 phone, for any role (issue 8, "Phone, lists, validation").

The pages are enumerated like the permission matrix does (tests/permissions): every URL pattern that answers
GET, filled with every object of the matrix's shared world (work orders, contracts, evaluation periods,
settlement statements, reports, ...). Each role's pages are first asked for with Django's test client, so only
the full HTML pages the role may open (200) are loaded in Chromium; one browser context per role. A page fails
when `document.scrollingElement.scrollWidth > window.innerWidth`, and the report names the page and the
elements that stick out of a fitting parent (wide tables must scroll inside their own `.table-wrap`).
"""

from __future__ import annotations

import logging
import re
import time

import pytest
from django.test import Client

from tests import conftest as root_conftest
from tests.browser.browser_support import PHONE, artifact, login
from tests.permissions.permissions_support import build_matrix, fillable_endpoints, targets

pytestmark = pytest.mark.browser

# The roles people demonstrate the product with (tests/permissions' users of the first organisation).
ROLES = ("client_supervisor", "client_admin", "vendor_manager", "vendor_agent", "requester", "auditor", "executive")

# Where the page is wider than the window: the elements that stick out of a parent that itself fits, unless an
# ancestor clips or scrolls them (a table inside an overflow-x: auto wrapper is fine).
OVERFLOW_JS = """() => {
  // A phone browser widens its layout viewport (innerWidth) to fit a too-wide page: the screen is the limit.
  const width = Math.min(window.innerWidth, screen.width);
  const scroll = document.scrollingElement.scrollWidth;
  if (scroll <= width) return null;
  const clipped = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') return true;
    }
    return false;
  };
  const sticks = (el) => el.getBoundingClientRect().right > width + 0.5;
  const name = (el) => {
    let text = el.tagName.toLowerCase();
    if (el.id) text += '#' + el.id;
    if (el.dataset.testid) text += `[data-testid=${el.dataset.testid}]`;
    if (el.classList.length) text += '.' + [...el.classList].join('.');
    return text;
  };
  const path = (el) => {
    const parts = [];
    for (let a = el; a && a !== document.body; a = a.parentElement) parts.unshift(name(a));
    return parts.join(' > ');
  };
  const culprits = [...document.body.querySelectorAll('*')]
    .filter((el) => sticks(el) && !clipped(el) && !(el.parentElement && sticks(el.parentElement)))
    .slice(0, 4)
    .map((el) => `${path(el)} (right edge ${Math.round(el.getBoundingClientRect().right)} px)`);
  return {scroll, width, culprits};
}"""


# Files, not pages (PDF, spreadsheets, CSV, images, text): not asked for at all, they are slow to make.
DOWNLOAD = re.compile(r"(/(pdf|xlsx|csv)/|\.(csv|xlsx|png|svg|txt|pdf))$")


def phone_pages(matrix, role: str) -> list[str]:
    """Every full HTML page of the matrix the role may open (200), each URL once."""
    client = Client()
    client.force_login(matrix.users[role])
    urls = []
    request_log = logging.getLogger("django.request")
    for endpoint in fillable_endpoints():
        if endpoint.api or "get" not in endpoint.methods:
            continue
        for target in targets(endpoint, matrix):
            if target.instance.startswith("probe") or target.url in urls or DOWNLOAD.search(target.url):
                continue
            level = request_log.level
            request_log.setLevel(logging.CRITICAL)  # the refused pages are expected: no warning per 403/404
            try:
                response = client.get(target.url)
            finally:
                request_log.setLevel(level)
            if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
                continue
            if b"<html" in response.content[:500]:
                urls.append(target.url)
    return urls


def test_no_page_scrolls_sideways_on_a_phone(settings, new_context):
    # The live server needs committed data: the matrix's world is built for this one test (and flushed after it).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    matrix = build_matrix(root_conftest.world.__wrapped__(None))
    failures = []
    started = time.monotonic()
    print("\nmatrix built")
    for role in ROLES:
        pages = phone_pages(matrix, role)
        assert len(pages) >= 5, (role, pages)  # the walk really found the role's pages
        page = new_context(**PHONE).new_page()
        login(page, matrix.users[role])
        for url in pages:
            page.goto(url)
            found = page.evaluate(OVERFLOW_JS)
            if found:
                slug = url.strip("/").replace("/", "_") or "home"
                page.screenshot(path=artifact(f"overflow-{role}-{slug}.png"), full_page=True)
                culprits = "\n    ".join(found["culprits"]) or "(no single element found)"
                failures.append(f"{role} {url}: {found['scroll']} px wide at {found['width']} px\n    {culprits}")
        print(f"\n{role}: {len(pages)} pages at 375 px ({time.monotonic() - started:.0f} s)")
        page.context.close()
    assert not failures, f"{len(failures)} pages scroll sideways on a phone:\n" + "\n".join(failures)
