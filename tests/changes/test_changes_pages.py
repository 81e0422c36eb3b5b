"""The change pages: the list (filters, sorting, who sees what) and a change's page (risk with how it was
computed, affected items and the services they impact, approval steps with each rule in words and each vote,
calendar conflicts in words, incidents caused, the review and the timeline), in Chinese and English."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from oversight.changes import services
from oversight.changes.choices import ChangeType
from oversight.changes.models import CabMeeting, Change, ChangeIncident, ChangeTemplate, ChangeWindow
from oversight.core import clock
from oversight.tenancy.choices import Role
from tests.factories import UserFactory
from tests.query_counts import assert_flat, count_queries


def _client(client, user):
    """A client of its own signed in as the user (several people take turns in one test)."""
    own = Client()
    own.force_login(user)
    return own


def _chinese(user):
    user.language = "zh-hans"
    user.save(update_fields=["language"])
    return user


def _page(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_list_filters_sorts_and_limits_to_the_vendor(world, client, change, window):
    start, end = window(48)
    mine = change(title="Replace the ward 3 switch", planned_start=start, planned_end=end)
    emergency = change(title="Patch the HIS database", type=ChangeType.EMERGENCY)
    theirs = change(
        title="Move the core router",
        actor=world.users["client_supervisor"],
        implementer=world.other_vendor,
        services=[world.other_service],
    )
    c = _client(client, world.users["client_supervisor"])
    with translation.override("en"):
        page = _page(c, reverse("changes:list"))
    assert all(x.number in page for x in (mine, emergency, theirs))
    assert _page(c, reverse("changes:list"), type="emergency").count('class="wo-link"') == 1
    only = _page(c, reverse("changes:list"), q="switch")
    assert mine.number in only and emergency.number not in only
    by_vendor = _page(c, reverse("changes:list"), implementer=world.other_vendor.pk)
    assert theirs.number in by_vendor and mine.number not in by_vendor
    by_service = _page(c, reverse("changes:list"), service=world.other_service.pk)
    assert theirs.number in by_service and mine.number not in by_service
    local = clock.now().astimezone(dt.timezone(dt.timedelta(hours=8)))
    day = (start.astimezone(local.tzinfo)).date()
    in_range = _page(c, reverse("changes:list"), planned_from=day.isoformat(), planned_to=day.isoformat())
    assert mine.number in in_range and emergency.number not in in_range
    # The emergency change is riskier (type 3 points): sorting by risk puts it last ascending, first descending.
    ascending = _page(c, reverse("changes:list"), sort="risk")
    descending = _page(c, reverse("changes:list"), sort="-risk")
    assert ascending.index(emergency.number) > ascending.index(mine.number)
    assert descending.index(emergency.number) < descending.index(mine.number)
    assert 'aria-sort="descending"' in descending
    # Vendor staff see their own vendor's changes only; the other's is 404, not 403; requesters are refused.
    agent = _client(client, world.users["vendor_agent"])
    page = _page(agent, reverse("changes:list"))
    assert mine.number in page and theirs.number not in page
    assert agent.get(reverse("changes:detail", args=[theirs.number])).status_code == 404
    assert agent.get(reverse("changes:detail", args=["CHG-" + "9" * 40])).status_code == 404
    assert _client(client, world.users["requester"]).get(reverse("changes:list")).status_code == 403


@pytest.mark.parametrize(
    "params",
    [
        {"planned_from": "9999-12-31", "planned_to": "9999-12-31"},
        {"planned_from": "not a date"},
        {"risk": "99", "type": "nope", "status": "x"},
        {"implementer": "999999999999999999999", "service": "-1"},
        {"sort": "-nothing", "page": "99999999"},
    ],
)
def test_list_answers_absurd_filters_without_an_error(world, client, change, params):
    change()
    c = _client(client, world.users["client_admin"])
    assert c.get(reverse("changes:list"), params).status_code == 200


def test_list_query_count_does_not_grow_with_rows(world, client, change):
    c = _client(client, world.users["client_supervisor"])
    change()

    def measure():
        with count_queries() as captured:
            assert c.get(reverse("changes:list")).status_code == 200
        return len(captured)

    few = measure()
    for n in range(6):
        change(title=f"Change {n}", actor=world.users["client_supervisor"])
    assert_flat("changes.list", few, measure())


def test_change_page_explains_the_risk_by_hand(world, client, change):
    # Normal (1 point), 45 minutes outage (2), 1 service (0), no CI (0), a backout plan (0), no test plan (1):
    # 4 points, medium. Questionnaire: reach 2×3, clinical 3×3, experience 1×2, backout 1×2, complexity 0×1 =
    # 6 + 9 + 2 + 2 + 0 = 19 of (3+3+2+2+1)×3 = 33 → 57.6 %, high. The higher, high, is the change's risk.
    answers = {"reach": 2, "clinical": 3, "experience": 1, "backout": 1, "complexity": 0}
    made = change(expected_outage_minutes=45, risk_answers=answers)
    c = _client(client, world.users["vendor_agent"])
    with translation.override("en"):
        page = _page(c, reverse("changes:detail", args=[made.number]))
    assert "Rule-based score: 4 points, Medium" in page
    assert "Questionnaire: 19 of 33 weighted points (57.6%), High" in page
    assert "The change's risk is the higher of the two scores: <strong>High</strong>." in page
    assert "A clinical system directly" in page
    _chinese(world.users["vendor_agent"])
    zh = _page(c, reverse("changes:detail", args=[made.number]))
    assert "风险" in zh and "Rule-based" not in zh


def test_change_page_shows_steps_rules_votes_and_substitutes(world, client, change):
    cab = {n: UserFactory(username=n, organisation=world.org, role=Role.CLIENT_SUPERVISOR) for n in "abcde"}
    services.approval_policy_set(
        actor=world.users["client_admin"],
        change_type=ChangeType.NORMAL,
        steps=[
            {
                "name": "Tech review",
                "rule": "quorum",
                "quorum": 2,
                "members": [(cab["a"], cab["d"]), (cab["b"], None), (cab["c"], None)],
            },
            {
                "name": "CAB",
                "rule": "percent",
                "percent": 60,
                "members": [(cab["a"], None), (cab["b"], None), (cab["c"], None), (cab["e"], None)],
            },
        ],
    )
    made = services.change_transition(actor=world.users["client_supervisor"], change=change(), action="assess")
    request = made.steps.get(position=1).requests.get(approver=cab["b"])
    services.approval_vote(actor=cab["b"], request=request, approve=False, comment="Not this week")
    c = _client(client, world.users["client_supervisor"])
    with translation.override("en"):
        page = _page(c, reverse("changes:detail", args=[made.number]))
    # Quorum of 2 out of 3; 60 % of 4 approvers = ⌈2.4⌉ = 3.
    assert "Quorum: at least 2 approvals · needs 2 approvals of 3" in page
    assert "Percentage: at least 60% of the approvers approve · needs 3 approvals of 4" in page
    assert "Not this week" in page and str(cab["d"]) in page
    _chinese(world.users["client_supervisor"])
    zh = _page(c, reverse("changes:detail", args=[made.number]))
    assert "法定人数 2" in zh and "百分比 60%" in zh


def test_change_page_names_conflicts_and_hides_another_vendors_change(world, client, change, window):
    start, end = window(24)
    supervisor = world.users["client_supervisor"]
    other = change(
        title="Other vendor's work",
        actor=supervisor,
        implementer=world.other_vendor,
        type=ChangeType.EMERGENCY,
        planned_start=start,
        planned_end=end,
        services=[world.other_service],
    )
    services.change_transition(actor=supervisor, change=other, action="authorise")
    services.change_transition(actor=supervisor, change=other, action="schedule")
    mine = change(actor=supervisor, type=ChangeType.EMERGENCY, planned_start=start, planned_end=end)
    services.change_transition(actor=supervisor, change=mine, action="authorise")
    window_ = services.window_create(
        actor=world.users["client_admin"],
        name="Year-end freeze",
        kind="blackout",
        hard=False,
        start=start - dt.timedelta(days=1),
        end=end + dt.timedelta(days=1),
    )
    services.change_approve_exception(actor=supervisor, change=mine, note="Urgent fix")
    mine = services.change_transition(actor=supervisor, change=mine, action="schedule")
    assert mine.conflict_codes
    with translation.override("en"):
        page = _page(_client(client, supervisor), reverse("changes:detail", args=[mine.number]))
        assert "In a blackout window" in page and window_.name in page and "soft: needs an exception" in page
        vendor_page = _page(_client(client, world.users["vendor_agent"]), reverse("changes:detail", args=[mine.number]))
    assert window_.name in vendor_page
    assert other.number not in vendor_page


def test_change_page_shows_impacted_services_of_its_items(world, client, change, estate):
    # The change takes the application server down: the registration service above it is impacted; a change to
    # one database of the pair impacts nothing (the other member still shields the service).
    on_server = change(cis=[estate["server"]])
    on_db = change(title="Patch DB-01", cis=[estate["db1"]])
    c = _client(client, world.users["client_supervisor"])
    with translation.override("en"):
        page = _page(c, reverse("changes:detail", args=[on_server.number]))
        shielded = _page(c, reverse("changes:detail", args=[on_db.number]))

    def impacted(html):
        return html.split('data-testid="impacted">')[1].split("</dd>")[0]

    assert "门诊挂号" in impacted(page) and "HIS-APP-01" in page
    assert "门诊挂号" not in impacted(shielded) and "None" in impacted(shielded)


# ---------------------------------------------------------------------------------------------- forms and actions


def test_vendor_requests_a_change_and_bad_input_is_a_form_error(world, client):
    agent = _client(client, world.users["vendor_agent"])
    form = agent.get(reverse("changes:create")).content.decode()
    assert f'<option value="{world.other_vendor.pk}"' not in form  # a vendor requests for itself only
    base = {
        "type": "normal",
        "implementer": world.vendor.pk,
        "title": "Upgrade the ward printers' firmware",
        "services": [world.service.pk],
        "implementation_plan": "Flash each printer",
        "backout_plan": "Flash the old firmware",
        "expected_outage_minutes": "20",
    }
    wrong = agent.post(
        reverse("changes:create"), {**base, "planned_start": "2027-01-05T10:00", "planned_end": "2027-01-05T09:00"}
    )
    assert wrong.status_code == 400 and "The planned window must end after it starts." in wrong.content.decode()
    absurd = agent.post(reverse("changes:create"), {**base, "expected_outage_minutes": "99999999999999"})
    assert absurd.status_code == 400
    for_other = agent.post(reverse("changes:create"), {**base, "implementer": world.other_vendor.pk})
    assert for_other.status_code == 400
    assert not Change.objects.exists()
    response = agent.post(
        reverse("changes:create"), {**base, "planned_start": "2027-01-05T10:00", "planned_end": "2027-01-05T12:00"}
    )
    made = Change.objects.get()
    assert response.status_code == 302 and response["Location"] == made.get_absolute_url()
    # The window was typed in the reader's zone (Asia/Shanghai): 10:00 there is 02:00 UTC.
    assert made.planned_start == dt.datetime(2027, 1, 5, 2, tzinfo=dt.UTC)
    assert made.requested_by == world.users["vendor_agent"] and made.expected_outage_minutes == 20


def test_standard_change_from_a_template(world, client, template):
    agent = _client(client, world.users["vendor_agent"])
    form = agent.get(reverse("changes:create"), {"template": template.pk}).content.decode()
    assert "Open, swap the cartridge" in form and 'value="standard" selected' in form
    assert agent.get(reverse("changes:create"), {"template": "99999999999999999999999"}).status_code == 200
    response = agent.post(
        reverse("changes:create"),
        {"type": "standard", "template": template.pk, "implementer": world.vendor.pk, "title": "Toner ward 3"},
    )
    made = Change.objects.get()
    assert response.status_code == 302
    assert made.template == template and made.implementation_plan == template.implementation_plan
    assert made.expected_outage_minutes == 5


def test_stale_edit_is_a_conflict_that_keeps_the_typed_text(world, client, change):
    made = change()
    agent = _client(client, world.users["vendor_agent"])
    page = agent.get(reverse("changes:edit", args=[made.number])).content.decode()
    assert 'name="version" value="1"' in page
    services.change_update(actor=world.users["client_supervisor"], change=made, title="Changed meanwhile")
    response = agent.post(
        reverse("changes:edit", args=[made.number]),
        {"title": "My careful new title", "version": "1", "implementation_plan": "x", "backout_plan": "y"},
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert "changed by someone else" in body and "My careful new title" in body
    made.refresh_from_db()
    assert made.title == "Changed meanwhile"
    ok = agent.post(
        reverse("changes:edit", args=[made.number]),
        {"title": "My careful new title", "version": str(made.version), "backout_plan": "Put it back"},
    )
    assert ok.status_code == 302
    made.refresh_from_db()
    assert made.title == "My careful new title" and made.backout_plan == "Put it back"


def test_risk_questionnaire_page(world, client, change):
    made = change()
    agent = _client(client, world.users["vendor_agent"])
    partial = agent.post(reverse("changes:risk", args=[made.number]), {"q_reach": "3", "version": "1"})
    assert partial.status_code == 400 and "Answer every question" in partial.content.decode()
    hostile = agent.post(reverse("changes:risk", args=[made.number]), {"q_reach": "7", "version": "1"})
    assert hostile.status_code == 400
    answers = {"q_reach": "3", "q_clinical": "3", "q_experience": "3", "q_backout": "3", "q_complexity": "3"}
    assert agent.post(reverse("changes:risk", args=[made.number]), {**answers, "version": "1"}).status_code == 302
    made.refresh_from_db()
    assert made.risk_questionnaire_percent == 100 and made.risk_level == 4


def test_transition_buttons_follow_the_rules_and_a_stale_button_changes_nothing(world, client, change):
    made = change()
    supervisor = _client(client, world.users["client_supervisor"])
    page = supervisor.get(reverse("changes:detail", args=[made.number])).content.decode()
    assert 'data-action="assess"' in page and 'data-action="authorise"' not in page  # a normal change: assess first
    stale = supervisor.post(
        reverse("changes:transition", args=[made.number]), {"action": "assess", "version": "7"}, follow=True
    )
    assert "changed by someone else" in stale.content.decode()
    made.refresh_from_db()
    assert made.status == "new"
    agent = _client(client, world.users["vendor_agent"])
    assert 'data-action="assess"' not in agent.get(reverse("changes:detail", args=[made.number])).content.decode()
    assert agent.post(reverse("changes:transition", args=[made.number]), {"action": "assess"}).status_code == 403
    assert agent.post(reverse("changes:transition", args=[made.number]), {"action": "nonsense"}).status_code == 302
    supervisor.post(reverse("changes:transition", args=[made.number]), {"action": "assess", "version": "1"})
    made.refresh_from_db()
    assert made.status == "assessed"
    # No approval steps: authorised by hand; "reject" needs a reason.
    no_reason = supervisor.post(reverse("changes:transition", args=[made.number]), {"action": "reject"}, follow=True)
    assert "Give a reason." in no_reason.content.decode()
    supervisor.post(reverse("changes:transition", args=[made.number]), {"action": "authorise"})
    made.refresh_from_db()
    assert made.status == "authorised"


def test_voting_on_the_page(world, client, change):
    a, b = (UserFactory(username=n, organisation=world.org, role=Role.CLIENT_SUPERVISOR) for n in ("cab_a", "cab_b"))
    services.approval_policy_set(
        actor=world.users["client_admin"],
        change_type=ChangeType.NORMAL,
        steps=[{"name": "CAB", "rule": "all", "members": [(a, None), (b, None)]}],
    )
    made = services.change_transition(actor=world.users["client_supervisor"], change=change(), action="assess")
    outsider = _client(client, world.users["client_supervisor"])
    assert 'data-testid="vote-form"' not in outsider.get(reverse("changes:detail", args=[made.number])).content.decode()
    assert outsider.post(reverse("changes:vote", args=[made.number]), {"approve": "1"}).status_code == 403
    voter = _client(client, a)
    assert 'data-testid="vote-form"' in voter.get(reverse("changes:detail", args=[made.number])).content.decode()
    no_reason = voter.post(reverse("changes:vote", args=[made.number]), {"approve": "0"})
    assert no_reason.status_code == 400 and "Give a reason for the rejection." in no_reason.content.decode()
    assert (
        voter.post(reverse("changes:vote", args=[made.number]), {"approve": "1", "comment": "Fine"}).status_code == 302
    )
    assert voter.post(reverse("changes:vote", args=[made.number]), {"approve": "1"}).status_code == 403  # voted
    _client(client, b).post(reverse("changes:vote", args=[made.number]), {"approve": "1"})
    made.refresh_from_db()
    assert made.status == "authorised"


def test_soft_blackout_exception_schedule_review_and_incidents(world, client, change, window, incident):
    start, end = window(24)
    supervisor = world.users["client_supervisor"]
    made = change(type=ChangeType.EMERGENCY, planned_start=start, planned_end=end)
    services.change_transition(actor=supervisor, change=made, action="authorise")
    services.window_create(
        actor=world.users["client_admin"], name="Inspection week", kind="blackout", hard=False, start=start, end=end
    )
    c = _client(client, supervisor)
    url = reverse("changes:transition", args=[made.number])
    refused = c.post(url, {"action": "schedule"}, follow=True).content.decode()
    assert "needs an approved exception" in refused
    assert c.post(reverse("changes:exception", args=[made.number]), {"note": ""}).status_code == 400
    assert (
        c.post(reverse("changes:exception", args=[made.number]), {"note": "Vendor on site only then"}).status_code
        == 302
    )
    c.post(url, {"action": "schedule"})
    c.post(url, {"action": "start"})
    c.post(url, {"action": "complete"})
    made.refresh_from_db()
    assert made.status == "review" and made.conflict_codes[0]["code"] == "blackout"
    wrong = c.post(reverse("changes:review", args=[made.number]), {"outcome": "failed", "notes": ""})
    assert wrong.status_code == 400 and "Say what went wrong." in wrong.content.decode()
    assert c.post(reverse("changes:review", args=[made.number]), {"outcome": "nonsense"}).status_code == 400
    c.post(reverse("changes:review", args=[made.number]), {"outcome": "with_issues", "notes": "Printer offline 1h"})
    wo = incident(title="Ward printer offline")
    missing = c.post(reverse("changes:link", args=[made.number]), {"numbers": "GH-NOPE"})
    assert missing.status_code == 400
    c.post(reverse("changes:link", args=[made.number]), {"numbers": wo.number})
    page = c.get(reverse("changes:detail", args=[made.number])).content.decode()
    assert "Successful with issues" in page and wo.number in page and "Printer offline 1h" in page
    unlink_action = f'action="{reverse("changes:unlink", args=[made.number])}"'
    assert unlink_action in page and 'class="timeline-item kind-' in page
    reader = _client(client, world.users["executive"]).get(reverse("changes:detail", args=[made.number]))
    assert wo.number in reader.content.decode() and unlink_action not in reader.content.decode()
    assert ChangeIncident.objects.filter(change=made, work_order=wo).exists()
    c.post(reverse("changes:unlink", args=[made.number]), {"work_order": "99999999999999999999"})
    c.post(reverse("changes:unlink", args=[made.number]), {"work_order": wo.pk})
    assert not ChangeIncident.objects.filter(change=made).exists()
    # A vendor agent cannot record the review or link (403), and an invisible change is 404 for every write.
    agent = _client(client, world.users["other_vendor_agent"])
    assert agent.post(reverse("changes:edit", args=[made.number]), {"title": "x"}).status_code == 404
    assert agent.post(reverse("changes:review", args=[made.number]), {"outcome": "successful"}).status_code == 403


# ---------------------------------------------------------------------------------------------- CAB, catalogue, policy


def test_cab_meeting_agenda_and_decisions(world, client, change):
    normal = services.change_transition(actor=world.users["client_supervisor"], change=change(), action="assess")
    risky = change(title="Emergency HIS patch", type=ChangeType.EMERGENCY)
    standard_free = change(title="Not awaiting")
    services.change_transition(actor=world.users["client_supervisor"], change=standard_free, action="cancel", note="x")
    c = _client(client, world.users["client_supervisor"])
    assert c.post(reverse("changes:cab_list"), {"title": "", "starts_at": "2027-01-05T14:00"}).status_code == 400
    response = c.post(reverse("changes:cab_list"), {"title": "Weekly CAB", "starts_at": "2027-01-05T14:00"})
    meeting = CabMeeting.objects.get()
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    page = _page(c, meeting.get_absolute_url())
    # The agenda: the changes awaiting authorisation, riskiest first (the emergency change), not the cancelled one.
    assert page.index(risky.number) < page.index(normal.number) and standard_free.number not in page
    items = {i.change_id: i for i in meeting.items.all()}
    no_reason = c.post(meeting.get_absolute_url(), {"item": items[risky.pk].pk, "decision": "reject"})
    assert no_reason.status_code == 400 and "Give a reason." in no_reason.content.decode()
    assert c.post(meeting.get_absolute_url(), {"item": "99999999999999999999", "decision": "defer"}).status_code == 404
    c.post(meeting.get_absolute_url(), {"item": items[normal.pk].pk, "decision": "authorise", "note": "Go"})
    normal.refresh_from_db()
    assert normal.status == "authorised"
    assert "Decision: Authorise" in _page(c, meeting.get_absolute_url())
    # Vendors have no CAB pages; an executive reads but does not plan or decide.
    assert _client(client, world.users["vendor_manager"]).get(reverse("changes:cab_list")).status_code == 403
    executive = _client(client, world.users["executive"])
    assert "Plan the meeting" not in _page(executive, reverse("changes:cab_list"))
    assert (
        executive.post(meeting.get_absolute_url(), {"item": items[risky.pk].pk, "decision": "defer"}).status_code == 403
    )


def test_template_catalogue_pages(world, client, template):
    admin = _client(client, world.users["client_admin"])
    duplicate = admin.post(
        reverse("changes:templates"),
        {"name": template.name, "implementation_plan": "a", "backout_plan": "b", "expected_outage_minutes": 0},
    )
    assert duplicate.status_code == 400 and "already exists" in duplicate.content.decode()
    admin.post(
        reverse("changes:templates"),
        {
            "name": "Reboot a ward PC",
            "implementation_plan": "Reboot",
            "backout_plan": "None needed",
            "expected_outage_minutes": 3,
        },
    )
    assert ChangeTemplate.objects.filter(name="Reboot a ward PC").exists()
    edit = reverse("changes:template_edit", args=[template.pk])
    admin.post(
        edit, {"name": template.name, "implementation_plan": "x", "backout_plan": "y", "expected_outage_minutes": 5}
    )
    template.refresh_from_db()
    assert not template.active  # unticked: retired
    agent = _client(client, world.users["vendor_agent"])
    page = _page(agent, reverse("changes:templates"))
    assert "Reboot a ward PC" in page and "Add to the catalogue" not in page
    assert agent.get(edit).status_code == 403


def test_approval_policy_page(world, client):
    admin = _client(client, world.users["client_admin"])
    sup = world.users["client_supervisor"]
    url = reverse("changes:policy", args=["normal"])
    impossible = admin.post(url, {"s1_name": "CAB", "s1_rule": "quorum", "s1_quorum": "3", "s1_m1_approver": sup.pk})
    assert impossible.status_code == 400 and "cannot be met" in impossible.content.decode()
    no_calendar = admin.post(
        url, {"s1_name": "CAB", "s1_rule": "all", "s1_deadline_hours": "8", "s1_m1_approver": sup.pk}
    )
    assert no_calendar.status_code == 400
    vendor = admin.post(url, {"s1_name": "CAB", "s1_rule": "all", "s1_m1_approver": world.users["vendor_manager"].pk})
    assert vendor.status_code == 400  # not a choice: client staff only
    saved = admin.post(
        url,
        {
            "s1_name": "CAB",
            "s1_rule": "majority",
            "s1_deadline_hours": "8",
            "s1_calendar": world.calendar.pk,
            "s1_m1_approver": sup.pk,
            "s1_m1_substitute": world.users["client_admin"].pk,
            "s1_m2_approver": world.users["executive"].pk,
        },
    )
    assert saved.status_code == 302
    page = _page(admin, url)
    assert "Majority once everyone voted" in page and "deadline 8 business hours" in page
    assert f"substitute: {world.users['client_admin']}" in page
    assert _client(client, sup).get(url).status_code == 403
    assert admin.get("/changes/policy/standard/").status_code == 404


# ---------------------------------------------------------------------------------------------- the calendar


def test_calendar_month_and_week_with_recurring_windows(world, client, change):
    admin = world.users["client_admin"]
    supervisor = world.users["client_supervisor"]
    zone = dt.timezone(dt.timedelta(hours=8))
    # Every Sunday 00:00–06:00 (Beijing time) from Sunday 3 January 2027: in January 2027 the 3rd, 10th, 17th,
    # 24th and 31st.
    services.window_create(
        actor=admin,
        name="Network Sunday window",
        kind="maintenance",
        start=dt.datetime(2027, 1, 3, 0, tzinfo=zone),
        end=dt.datetime(2027, 1, 3, 6, tzinfo=zone),
        rrule="FREQ=WEEKLY;BYDAY=SU",
        vendors=[world.other_vendor],
    )
    made = change(
        actor=supervisor,
        type=ChangeType.EMERGENCY,
        planned_start=dt.datetime(2027, 1, 12, 22, tzinfo=zone),
        planned_end=dt.datetime(2027, 1, 13, 1, tzinfo=zone),
    )
    services.change_transition(actor=supervisor, change=made, action="authorise")
    services.change_transition(actor=supervisor, change=made, action="schedule")
    c = _client(client, supervisor)
    page = _page(c, reverse("changes:calendar"), day="2027-01-20")
    days = {}
    for chunk in page.split('data-date="')[1:]:
        days[chunk[:10]] = chunk.split("</section>")[0]
    assert [d for d, html in days.items() if "Network Sunday window" in html] == [
        "2027-01-03",
        "2027-01-10",
        "2027-01-17",
        "2027-01-24",
        "2027-01-31",
    ]
    assert [d for d, html in days.items() if made.number in html] == ["2027-01-12", "2027-01-13"]
    assert min(days) == "2026-12-28" and max(days) == "2027-01-31"  # whole weeks, Monday first
    week = _page(c, reverse("changes:calendar"), view="week", day="2027-01-13")
    assert week.count('data-date="') == 7 and made.number in week and "Network Sunday window" in week
    # The desk vendor's filter leaves the network vendor's window out; its agent sees its own change.
    desk = _page(c, reverse("changes:calendar"), day="2027-01-20", vendor=world.vendor.pk)
    assert "Network Sunday window" not in desk and made.number in desk
    agent = _client(client, world.users["other_vendor_agent"])
    theirs = _page(agent, reverse("changes:calendar"), day="2027-01-20")
    assert "Network Sunday window" in theirs and made.number not in theirs
    for absurd in ({"day": "99999-01-01"}, {"day": "0001-01-01"}, {"view": "year", "service": "abc"}):
        assert c.get(reverse("changes:calendar"), absurd).status_code == 200


def test_calendar_links_to_the_page_of_the_readers_feed_key(world, client):
    c = _client(client, world.users["client_supervisor"])
    page = _page(c, reverse("changes:calendar"))
    assert f'href="{reverse("changes:feed_key")}" data-testid="ics-link"' in page
    assert c.get(reverse("changes:feed_key")).status_code == 200


def test_windows_page_creates_and_deactivates(world, client, change, window, django_capture_on_commit_callbacks):
    start, end = window(24)
    supervisor = world.users["client_supervisor"]
    made = change(actor=supervisor, type=ChangeType.EMERGENCY, planned_start=start, planned_end=end)
    services.change_transition(actor=supervisor, change=made, action="authorise")
    services.change_transition(actor=supervisor, change=made, action="schedule")
    admin = _client(client, world.users["client_admin"])
    url = reverse("changes:windows")
    local = dt.timezone(dt.timedelta(hours=8))
    fields = {
        "name": "Audit freeze",
        "kind": "blackout",
        "hard": "on",
        "start": (start - dt.timedelta(hours=1)).astimezone(local).strftime("%Y-%m-%dT%H:%M"),
        "end": (end + dt.timedelta(hours=1)).astimezone(local).strftime("%Y-%m-%dT%H:%M"),
    }
    assert admin.post(url, {**fields, "rrule": "FREQ=NEVER"}).status_code == 400
    assert admin.post(url, {**fields, "end": fields["start"]}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post(url, fields).status_code == 302
    added = ChangeWindow.objects.get(name="Audit freeze")
    made.refresh_from_db()
    assert [c["code"] for c in made.conflict_codes] == ["blackout"]  # re-checked after the window was added
    assert "Audit freeze" in _page(admin, reverse("changes:detail", args=[made.number]))
    assert _client(client, supervisor).post(url, fields).status_code == 403
    assert _client(client, world.users["vendor_agent"]).get(url).status_code == 200
    admin.post(reverse("changes:window_deactivate", args=[added.pk]))
    added.refresh_from_db()
    assert not added.active


def test_work_order_page_names_the_change_that_caused_it(world, client, change, window, incident):
    start, end = window(1)
    supervisor = world.users["client_supervisor"]
    made = change(actor=supervisor, type=ChangeType.EMERGENCY, planned_start=start, planned_end=end)
    for action in ("authorise", "schedule", "start"):
        services.change_transition(actor=supervisor, change=made, action=action)
    wo = incident(title="Printer offline after the change")
    services.change_link_incidents(actor=supervisor, change=made, work_orders=[wo])
    url = reverse("tickets:detail", args=[wo.number])
    page = _page(_client(client, world.users["vendor_agent"]), url)
    assert 'data-testid="work-order-changes"' in page and made.number in page
    requester = _page(_client(client, world.users["requester"]), url)
    assert made.number not in requester
