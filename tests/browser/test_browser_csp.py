"""The Content-Security-Policy in Chromium (issue 8): pages with htmx, the report charts and the API docs work
under the strict policy, and the browser reports no violation (no inline script, style or eval was needed).

Violations are collected from the `securitypolicyviolation` event (an init script, which CSP does not govern)
and from the console ("Refused to …"); the pages are also checked to have really worked (htmx swapped the
results, the charts drew, Swagger UI rendered the operations)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from oversight.core import clock
from tests.browser.browser_support import en, login
from tests.reports.conftest import NOW, build_report_world

pytestmark = pytest.mark.browser

LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  var where = e.sourceFile + ":" + e.lineNumber;
  window.__csp.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " + where);
});
"""


def watched_page(context):
    """A page that records CSP violations (event and console) in `page.csp_violations()`."""
    page = context.new_page()
    console: list[str] = []
    page.on(
        "console",
        lambda msg: (
            console.append(msg.text) if "Content Security Policy" in msg.text or "Refused to" in msg.text else None
        ),
    )
    page.add_init_script(LISTEN)

    def violations() -> list[str]:
        found = page.evaluate("window.__csp || []")
        return found + console

    page.csp_violations = violations
    return page


@pytest.fixture
def report_world(world):
    rw = build_report_world(world)
    with clock.frozen_at(NOW):
        yield rw


def test_browser_pages_htmx_charts_and_api_docs_work_under_the_csp(world, report_world, new_context):
    context = new_context(viewport={"width": 1280, "height": 900})
    page = watched_page(context)
    login(page, world.users["client_supervisor"])

    # The board: an htmx filter swaps the results in place.
    response = page.goto("/board/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    page.evaluate("document.getElementById('board-results').dataset.before = '1'")
    page.locator("details.filters > summary").click()
    page.locator("#id_q").fill("zzz-nothing")
    page.locator("form.filter-grid button[type=submit]").click()
    page.wait_for_url("**/board/?*q=zzz-nothing*")
    expect(page.locator("#board-results")).to_be_visible()
    assert page.evaluate("document.getElementById('board-results').dataset.before") is None  # swapped by htmx
    assert page.csp_violations() == []

    # A service report (four SVG charts) and the vendor dashboard (htmx period picker, charts).
    page.goto(f"/reports/vendors/{world.vendor.pk}/2026-09/")
    expect(page.locator("[data-testid=chart] svg")).to_have_count(4)
    page.goto("/reports/dashboard/")
    page.locator(".tabs a.tab", has_text=en("Quarterly")).click()
    page.wait_for_url("**/reports/dashboard/?kind=quarterly")
    expect(page.get_by_test_id("dashboard-table")).to_be_visible()
    assert page.csp_violations() == []

    # The API docs: Swagger UI from the sidecar, its init script from ?script, the operations rendered.
    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible(timeout=20_000)
    assert page.csp_violations() == []


def test_browser_an_inline_script_is_refused_so_the_check_can_fail(world, new_context):
    """The listener sees a violation when one happens: an inline script injected into a page is blocked."""
    page = watched_page(new_context())
    login(page, world.users["client_supervisor"])
    page.goto("/board/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';"
        " document.body.appendChild(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.__ran") is None
    assert any("script-src" in v for v in page.csp_violations())
