"""Contract pages: who sees what, the create / amend forms (errors keep the input), documents, navigation."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from oversight.contracts.models import Contract, ContractDocument
from oversight.core import clock
from tests.contracts.conftest import SIGNED_AT

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def web(world):
    def make(role) -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        user = world.users[role]
        user.language = "en"
        user.save(update_fields=["language"])
        client.force_login(user)
        return client

    return make


def rows(prefix: str, items: list[dict], initial: int = 0) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(items)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "100",
    }
    for index, item in enumerate(items):
        for key, value in item.items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


def form_data(world, **overrides) -> dict:
    data = {
        "vendor": str(world.vendor.pk),
        "number": "HT-WEB-1",
        "title": "Desktop support",
        "currency": "CNY",
        "term_start": "2026-01-01",
        "term_end": "2027-12-31",
        "fee_period": "monthly",
        "fixed_fee": "120000.00",
        "at_risk_percent": "10",
        "max_deduction": "20",
        "max_deduction_basis": "percent",
        "renewal_notice_days": "90",
        "services": [str(world.service.pk)],
        **rows(
            "bands",
            [
                {"upper": "90", "lower": "80", "per_point": "1", "per_point_basis": "percent", "step_basis": "percent"},
                {"upper": "80", "per_point": "2", "per_point_basis": "percent", "step": "5", "step_basis": "percent"},
                {"upper": "", "per_point_basis": "percent", "step_basis": "percent"},
            ],
        ),
        **rows(
            "commitments",
            [
                {
                    "code": "response",
                    "name": "Response timeliness",
                    "sla_metric": "response",
                    "target": "95",
                    "allocation_percent": "30",
                    "miss_share_percent": "100",
                    "sla_policy_versions": [str(world.policy.versions.get().pk)],
                },
                {
                    "code": "resolution",
                    "name": "Resolution timeliness",
                    "sla_metric": "resolution",
                    "target": "90",
                    "allocation_percent": "40",
                    "miss_share_percent": "50",
                    "share_steps": "80: 100",
                },
                {"code": "", "name": ""},
            ],
        ),
        **rows(
            "unit_rates",
            [{"kind": "incident", "rate": "85.50", "included_quantity": "400"}, {"kind": "service_request"}],
        ),
        **rows("staffing", [{"position": "onsite_engineer", "count": "4"}, {"position": "service_desk", "count": ""}]),
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("client_admin", 200),
        ("client_supervisor", 200),
        ("executive", 200),
        ("auditor", 200),
        ("vendor_manager", 200),
        ("vendor_agent", 200),
        ("requester", 403),
    ],
)
def test_the_list_is_open_to_client_and_vendor_roles(web, world, make_contract, role, status):
    make_contract(number="HT-OWN")
    response = web(role).get("/contracts/")
    assert response.status_code == status
    if status == 200:
        assert b"HT-OWN" in response.content


def test_other_vendors_and_drafts_are_404_for_vendor_staff_and_the_list_hides_them(web, world, make_contract):
    from tests.factories import ServiceFactory

    ServiceFactory(organisation=world.org, vendor=world.other_vendor, code="net2")
    other = make_contract(number="HT-OTHER", vendor=world.other_vendor)
    draft = make_contract(number="HT-DRAFT", activate=False)
    client = web("vendor_manager")
    assert client.get(f"/contracts/{other.pk}/").status_code == 404
    assert client.get(f"/contracts/{draft.pk}/").status_code == 404
    listing = client.get("/contracts/").content.decode()
    assert "HT-OTHER" not in listing and "HT-DRAFT" not in listing and "Net Co" not in listing
    assert web("requester").get(f"/contracts/{other.pk}/").status_code == 403
    assert web("foreign_admin").get(f"/contracts/{other.pk}/").status_code == 404


def test_the_detail_page_shows_versions_terms_commitments_and_bands(web, world, make_contract):
    contract = make_contract()
    with clock.frozen_at(SIGNED_AT):
        page = web("vendor_manager").get(f"/contracts/{contract.pk}/").content.decode()
    assert "Desktop support" in page and "Version 1" in page
    assert "CN¥120,000.00" in page  # one money format, with the symbol
    assert "≥ 95 %" in page and "Response timeliness" in page
    assert "under 90 points" in page and " s &lt; " not in page  # a score band in words
    assert "/amend/" not in page and "/activate/" not in page and "/documents/" not in page  # read-only
    admin_page = web("client_admin").get(f"/contracts/{contract.pk}/").content.decode()
    assert f"/contracts/{contract.pk}/amend/" in admin_page
    assert web("client_admin").get(f"/contracts/{contract.pk}/?version=9").status_code == 404


def test_the_client_admin_creates_and_activates_a_contract_through_the_forms(web, world):
    client = web("client_admin")
    assert client.get("/contracts/new/").status_code == 200
    with clock.frozen_at(SIGNED_AT):
        response = client.post("/contracts/new/", form_data(world))
        assert response.status_code == 302, response.content.decode()[-3000:]
        contract = Contract.objects.get()
        assert response["Location"] == f"/contracts/{contract.pk}/"
        version = contract.versions.get()
        assert [b.upper for b in version.bands.all()] == [90, 80]
        assert [c.code for c in version.commitments.all()] == ["response", "resolution"]
        assert version.commitments.get(code="resolution").share_steps.get().share_percent == 100
        assert [(r.kind, r.included_quantity) for r in version.unit_rates.all()] == [("incident", 400)]
        assert [(s.position, s.count) for s in version.staffing.all()] == [("onsite_engineer", 4)]
        assert client.post(f"/contracts/{contract.pk}/activate/").status_code == 302
    contract.refresh_from_db()
    assert contract.status == "active"


def test_a_refused_form_keeps_the_input_and_says_why(web, world):
    client = web("client_admin")
    data = form_data(world)
    data["bands-1-upper"] = "70"  # a gap between 80 and 70
    response = client.post("/contracts/new/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "contiguous" in page
    assert 'value="HT-WEB-1"' in page and 'value="Resolution timeliness"' in page and 'value="80: 100"' in page
    assert not Contract.objects.exists()
    data = form_data(world, **{"commitments-0-share_steps": "ninety"})
    response = client.post("/contracts/new/", data)
    assert response.status_code == 400 and "threshold: share" in response.content.decode()


def test_amend_through_the_form_keeps_the_old_version(web, world, make_contract):
    contract = make_contract()
    client = web("client_admin")
    with clock.frozen_at(dt.datetime(2026, 3, 20, 2, tzinfo=dt.UTC)):
        page = client.get(f"/contracts/{contract.pk}/amend/")
        assert page.status_code == 200
        assert 'value="120000.00"' in page.content.decode()
        data = form_data(world, effective_from="2026-04-01", reason="Price review", fixed_fee="126000.00")
        data.update(
            rows("bands", [{"upper": "90", "per_point": "1", "per_point_basis": "percent", "step_basis": "percent"}])
        )
        response = client.post(f"/contracts/{contract.pk}/amend/", data)
        assert response.status_code == 302, response.content.decode()[-2000:]
        same = client.post(f"/contracts/{contract.pk}/amend/", dict(data, effective_from="2026-05-01"))
        assert same.status_code == 400 and "changes nothing" in same.content.decode()
    v1, v2 = contract.versions.order_by("number")
    assert (v1.fixed_fee, v2.fixed_fee, v2.effective_from) == (120000, 126000, dt.date(2026, 4, 1))
    assert v1.term_start == v2.term_start == dt.date(2026, 1, 1)


@pytest.mark.parametrize(
    "role", ["client_supervisor", "executive", "auditor", "vendor_manager", "vendor_agent", "requester"]
)
def test_only_the_client_admin_opens_or_posts_the_write_pages(web, world, make_contract, role):
    contract = make_contract()
    client = web(role)
    for url in (
        "/contracts/new/",
        f"/contracts/{contract.pk}/amend/",
        f"/contracts/{contract.pk}/edit/",
    ):
        assert client.get(url).status_code == 403, url
    for url in (
        f"/contracts/{contract.pk}/terminate/",
        f"/contracts/{contract.pk}/activate/",
        f"/contracts/{contract.pk}/documents/",
        f"/contracts/{contract.pk}/withdraw-amendment/",
    ):
        assert client.post(url, {"terminated_on": "2026-06-30", "reason": "x"}).status_code == 403, url
    contract.refresh_from_db()
    assert contract.status == "active"


def test_documents_are_uploaded_by_the_admin_and_downloaded_after_the_permission_check(web, world, make_contract):
    contract = make_contract()
    admin = web("client_admin")
    response = admin.post(
        f"/contracts/{contract.pk}/documents/",
        {"file": SimpleUploadedFile("signed.png", PNG, "image/png"), "kind": "signed_contract", "version": "1"},
    )
    assert response.status_code == 302
    document = ContractDocument.objects.get()
    assert document.version.number == 1 and document.title == "signed.png"
    assert ".." not in document.file.name and "signed" not in document.file.name  # random stored name
    memo = admin.post(
        f"/contracts/{contract.pk}/documents/",
        {"file": SimpleUploadedFile("memo.txt", b"approval\n", "text/plain"), "kind": "other", "is_internal": "on"},
    )
    assert memo.status_code == 302
    internal = ContractDocument.objects.get(is_internal=True)
    bad = admin.post(
        f"/contracts/{contract.pk}/documents/",
        {"file": SimpleUploadedFile("x.html", b"<html><script>1</script>", "text/html"), "kind": "other"},
    )
    assert bad.status_code == 400 and "not accepted" in bad.content.decode()
    vendor = web("vendor_manager")
    download = vendor.get(f"/contracts/documents/{document.pk}/")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == PNG
    assert vendor.get(f"/contracts/documents/{internal.pk}/").status_code == 404
    assert "memo.txt" not in vendor.get(f"/contracts/{contract.pk}/").content.decode()
    assert web("other_vendor_manager").get(f"/contracts/documents/{document.pk}/").status_code == 404
    assert web("requester").get(f"/contracts/documents/{document.pk}/").status_code == 403
    assert web("client_supervisor").get(f"/contracts/documents/{internal.pk}/").status_code == 200


def test_terminate_and_withdraw_from_the_page(web, world, make_contract):
    contract = make_contract()
    client = web("client_admin")
    with clock.frozen_at(dt.datetime(2026, 3, 20, 2, tzinfo=dt.UTC)):
        data = form_data(world, effective_from="2026-05-01", reason="Later", fixed_fee="1.00")
        assert client.post(f"/contracts/{contract.pk}/amend/", data).status_code == 302
        page = client.get(f"/contracts/{contract.pk}/").content.decode()
        assert "Withdraw version 2" in page
        assert (
            client.post(f"/contracts/{contract.pk}/withdraw-amendment/", {"version": "2", "reason": ""}).status_code
            == 400
        )
        assert (
            client.post(f"/contracts/{contract.pk}/withdraw-amendment/", {"version": "2", "reason": "No"}).status_code
            == 302
        )
        past = client.post(f"/contracts/{contract.pk}/terminate/", {"terminated_on": "2026-01-31", "reason": "x"})
        assert past.status_code == 400 and "never in the past" in past.content.decode()
        done = client.post(f"/contracts/{contract.pk}/terminate/", {"terminated_on": "2026-06-30", "reason": "Merger"})
        assert done.status_code == 302
    contract.refresh_from_db()
    assert (contract.status, contract.terminated_on) == ("terminated", dt.date(2026, 6, 30))
    assert contract.versions.count() == 1


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        ("client_admin", True),
        ("auditor", True),
        ("vendor_manager", True),
        ("vendor_agent", False),
        ("requester", False),
    ],
)
def test_the_navigation_has_a_contracts_entry_for_client_roles_and_vendor_managers(web, world, role, shown):
    response = web(role).get("/notifications/")
    assert ('href="/contracts/"' in response.content.decode()) is shown


class _FormReader(HTMLParser):
    """Collects what a browser would submit from the first POST form with a given action."""

    def __init__(self, action: str):
        super().__init__()
        self.action, self.inside, self.data = action, False, []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("method") == "post" and a.get("action", "") in ("", self.action)
            return
        if not self.inside:
            return
        if tag == "input" and a.get("name") and "disabled" not in a:
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.data.append((a["name"], a.get("value", "on" if a.get("type") == "checkbox" else "")))
        elif tag == "select" and "disabled" not in a:
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.data.append((self._select, a.get("value", "")))
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.data.append((self._textarea, ""))

    def handle_data(self, data):
        if self._textarea and self.data and self.data[-1][0] == self._textarea:
            self.data[-1] = (self._textarea, self.data[-1][1] + data)

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self.inside = False


def submitted(html: str, action: str = "") -> dict:
    reader = _FormReader(action)
    reader.feed(html)
    out: dict = {}
    for name, value in reader.data:
        out.setdefault(name, []).append(value)
    return {k: (v if len(v) > 1 else v[0]) for k, v in out.items()}


def test_the_amend_page_round_trips_every_term_exactly(web, world, make_contract):
    from decimal import Decimal as D

    from oversight.contracts.validation import BandInput, CommitmentInput, ShareStepInput
    from tests.contracts.conftest import make_terms

    terms = make_terms(
        world,
        bands=(BandInput(D("90"), D("80"), D("0.5")), BandInput(D("80"), None, D("1000"), "amount", D("5"))),
        commitments=(
            CommitmentInput(
                code="csat",
                name="CSAT",
                indicator="csat_satisfied_share",
                target=D("92.5"),
                allocation_percent=D("100"),
                miss_share_percent=D("25"),
                share_steps=(ShareStepInput(D("80"), D("100")), ShareStepInput(D("90"), D("50"))),
            ),
        ),
    )
    contract = make_contract(terms=terms)
    client = web("client_admin")
    with clock.frozen_at(dt.datetime(2026, 3, 20, 2, tzinfo=dt.UTC)):
        html = client.get(f"/contracts/{contract.pk}/amend/").content.decode()
        data = submitted(html)
        assert data["bands-0-per_point"] == "0.5" and data["bands-1-per_point"] == "1000"
        assert data["commitments-0-share_steps"] == "80: 100, 90: 50"
        data.update({"effective_from": "2026-04-01", "reason": "Nothing really"})
        response = client.post(f"/contracts/{contract.pk}/amend/", data)
        assert response.status_code == 400 and "changes nothing" in response.content.decode()
        data["commitments-0-target"] = "93"
        response = client.post(f"/contracts/{contract.pk}/amend/", data)
        assert response.status_code == 302, response.content.decode()[-1500:]
    v2 = contract.versions.get(number=2)
    assert v2.commitments.get().target == D("93")
    assert [(b.per_point, b.per_point_basis) for b in v2.bands.order_by("-upper")] == [
        (D("0.5"), "percent"),
        (D("1000"), "amount"),
    ]
