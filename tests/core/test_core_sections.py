"""Sections: an app above tickets shows something on the work-order page without tickets importing it."""

from __future__ import annotations

import copy

import pytest
from django.urls import reverse

from oversight.core import sections
from oversight.tickets import services
from tests.factories import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def section_template(settings, tmp_path):
    (tmp_path / "probe").mkdir()
    (tmp_path / "probe" / "section.html").write_text(
        '<section class="card" data-probe="{{ number }}">{{ label }} for {{ reader }}</section>'
    )
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0].get("DIRS", []), str(tmp_path)]
    settings.TEMPLATES = templates
    yield "probe/section.html"
    sections.withdraw("tickets.work_order", "probe.main")
    sections.withdraw("tickets.work_order", "probe.hidden")


def test_a_contributed_section_renders_on_the_work_order_page_with_its_own_context(world, section_template):
    work_order = services.work_order_create(
        actor=world.users["requester"], service=world.service, title="Printer jammed"
    )

    def context(request, wo):
        return {"number": wo.number, "label": "<b>linked</b>", "reader": request.user.username}

    sections.contribute("tickets.work_order", name="probe.main", template=section_template, context=context)
    sections.contribute(
        "tickets.work_order", name="probe.hidden", template=section_template, context=lambda request, wo: None
    )

    page = signed_in(world.users["client_supervisor"]).get(reverse("tickets:detail", args=[work_order.number]))

    html = page.content.decode()
    assert html.count("data-probe=") == 1  # the section whose context is None is not shown
    assert f'data-probe="{work_order.number}"' in html
    assert "&lt;b&gt;linked&lt;/b&gt; for super_a" in html  # autoescaped, and it saw the reader


def test_sections_render_in_order_then_name_and_a_second_registration_replaces_the_first():
    def nothing(request, obj):
        return {}

    sections.contribute("probe.page", name="b", template="x.html", context=nothing, order=10)
    sections.contribute("probe.page", name="a", template="x.html", context=nothing, order=10)
    sections.contribute("probe.page", name="c", template="x.html", context=nothing, order=5)
    sections.contribute("probe.page", name="a", template="y.html", context=nothing, order=10)
    try:
        assert [(s.name, s.template) for s in sections.sections_for("probe.page")] == [
            ("c", "x.html"),
            ("a", "y.html"),
            ("b", "x.html"),
        ]
    finally:
        for name in "abc":
            sections.withdraw("probe.page", name)
    assert sections.sections_for("probe.page") == []
