"""Writing, versioning, reviewing and publishing articles through the services."""

from __future__ import annotations

import pytest

from oversight.audit.models import AuditEntry
from oversight.core.errors import ApplicationError, Conflict, InvalidTransition, NotAllowed
from oversight.knowledge import services as knowledge
from oversight.knowledge.models import ArticleWorkOrder, Deflection
from oversight.problems import services as problems
from oversight.tickets import services as tickets


def test_create_numbers_versions_segments_and_audits(world, article):
    first = article(title="病房打印机卡纸", body="打开后盖取出卡纸。", title_en="Ward printer jams")
    second = article(title="VPN 连不上", body="Reinstall the VPN client.")
    assert (first.number, second.number) == ("KB-GH00001", "KB-GH00002")
    assert first.status == "draft" and first.audience == "internal"
    assert [(v.number, v.kind, v.title) for v in first.versions.all()] == [(1, "created", "病房打印机卡纸")]
    assert " 打印机 " in first.search_title and " printer " in first.search_title and " jams " in first.search_title
    assert " 卡纸 " in first.search_body
    assert first.search_length == len(first.search_title.split()) + len(first.search_body.split())
    assert AuditEntry.objects.filter(action="knowledge.article.created", object_id=str(first.pk)).exists()


def test_create_refuses_empty_text_foreign_relations_and_readers(world, article):
    with pytest.raises(ApplicationError):
        article(title="  ")
    with pytest.raises(ApplicationError):
        article(body="")
    with pytest.raises(ApplicationError):
        article(services=[world.foreign_service])
    for role in ("requester", "executive", "auditor"):
        with pytest.raises(NotAllowed):
            article(actor=world.users[role])


def test_every_edit_is_a_version_and_restore_is_a_new_version(world, article):
    made = article(title="A", body="one\ntwo")
    knowledge.article_update(actor=world.users["client_supervisor"], article=made, body="one\nthree")
    made = knowledge.article_update(actor=world.users["client_supervisor"], article=made, title="B")
    assert [v.number for v in made.versions.all()] == [3, 2, 1]
    restored = knowledge.article_restore(actor=world.users["client_supervisor"], article=made, number=1)
    newest = restored.versions.first()
    assert (newest.number, newest.kind, newest.restored_from) == (4, "restored", 1)
    assert (restored.title, restored.body) == ("A", "one\ntwo")
    assert restored.search_body.split() == ["one", "two"]
    with pytest.raises(ApplicationError):
        knowledge.article_restore(actor=world.users["client_supervisor"], article=restored, number=1)
    # Changing only the readers writes no version.
    knowledge.article_update(actor=world.users["client_supervisor"], article=restored, audience="vendor")
    assert restored.versions.count() == 4


def test_stale_edit_is_refused(world, article):
    made = article()
    knowledge.article_update(actor=world.users["client_supervisor"], article=made, body="new", expected_version=1)
    with pytest.raises(Conflict):
        knowledge.article_update(actor=world.users["client_supervisor"], article=made, body="newer", expected_version=1)


def test_review_and_four_eyes(world, article):
    made = article(actor=world.users["vendor_agent"], audience="vendor")
    assert made.vendor == world.vendor
    with pytest.raises(NotAllowed):  # another vendor's agent may not touch it
        knowledge.article_transition(actor=world.users["other_vendor_agent"], article=made, action="submit")
    made = knowledge.article_transition(actor=world.users["vendor_agent"], article=made, action="submit")
    assert made.status == "review"
    with pytest.raises(ApplicationError):  # an article in review is not edited
        knowledge.article_update(actor=world.users["vendor_agent"], article=made, body="x")
    with pytest.raises(NotAllowed):  # a vendor never approves
        knowledge.article_transition(actor=world.users["vendor_manager"], article=made, action="publish")
    with pytest.raises(ApplicationError):  # returning needs a reason
        knowledge.article_transition(actor=world.users["client_supervisor"], article=made, action="reject")
    made = knowledge.article_transition(
        actor=world.users["client_supervisor"], article=made, action="reject", note="Add screenshots"
    )
    assert made.status == "draft"
    made = knowledge.article_transition(actor=world.users["vendor_agent"], article=made, action="submit")
    made = knowledge.article_transition(actor=world.users["client_admin"], article=made, action="publish")
    assert (made.status, made.approver, made.published_at is not None) == (
        "published",
        world.users["client_admin"],
        True,
    )
    # A repeated publish is harmless; retire then revise.
    assert (
        knowledge.article_transition(actor=world.users["client_admin"], article=made, action="publish").version
        == made.version
    )
    made = knowledge.article_transition(actor=world.users["client_supervisor"], article=made, action="retire")
    assert made.status == "retired" and made.retired_at is not None
    with pytest.raises(InvalidTransition):
        knowledge.article_transition(actor=world.users["client_supervisor"], article=made, action="publish")
    made = knowledge.article_transition(actor=world.users["vendor_agent"], article=made, action="revise")
    assert made.status == "draft"
    assert AuditEntry.objects.filter(action="knowledge.article.publish", object_id=str(made.pk)).count() == 1


def test_author_cannot_approve_own_article_nor_text_they_wrote(world, article):
    own = article(actor=world.users["client_supervisor"])
    own = knowledge.article_transition(actor=world.users["client_supervisor"], article=own, action="submit")
    with pytest.raises(NotAllowed):
        knowledge.article_transition(actor=world.users["client_supervisor"], article=own, action="publish")
    edited = article(actor=world.users["vendor_agent"])
    knowledge.article_update(actor=world.users["client_admin"], article=edited, body="corrected by the admin")
    edited = knowledge.article_transition(actor=world.users["vendor_agent"], article=edited, action="submit")
    with pytest.raises(NotAllowed):
        knowledge.article_transition(actor=world.users["client_admin"], article=edited, action="publish")
    assert (
        knowledge.article_transition(actor=world.users["client_supervisor"], article=edited, action="publish").status
        == "published"
    )


@pytest.fixture
def resolved(world):
    wo = tickets.work_order_create(
        actor=world.users["requester"], service=world.service, title="Printer jammed", description="Tray 2 jams"
    )
    agent = world.users["vendor_agent"]
    wo = tickets.work_order_transition(actor=agent, work_order=wo, action="accept")
    return tickets.work_order_transition(
        actor=agent, work_order=wo, action="resolve", resolution="Removed a torn label from the rollers"
    )


def test_article_from_resolved_work_order(world, resolved):
    made = knowledge.article_from_work_order(actor=world.users["vendor_agent"], work_order=resolved)
    assert made.title == "Printer jammed" and made.source_work_order == resolved
    assert "Tray 2 jams" in made.body and "Removed a torn label from the rollers" in made.body
    assert list(made.services.all()) == [world.service] and made.category == world.service.category
    fresh = tickets.work_order_create(actor=world.users["requester"], service=world.service, title="Open one")
    with pytest.raises(ApplicationError):
        knowledge.article_from_work_order(actor=world.users["vendor_agent"], work_order=fresh)
    with pytest.raises(ApplicationError):
        knowledge.article_from_work_order(actor=world.users["foreign_admin"], work_order=resolved)


def test_article_from_problem_links_its_known_error(world):
    supervisor = world.users["client_supervisor"]
    problem = problems.problem_create(
        actor=supervisor, title="Ward printers jam", description="Labels tear", service=world.service
    )
    problem = problems.problem_transition(actor=supervisor, problem=problem, action="analyse")
    problem = problems.problem_update_analysis(
        actor=supervisor, problem=problem, root_cause="Worn rollers", workaround="Feed by hand"
    )
    problem = problems.problem_transition(actor=supervisor, problem=problem, action="record_known_error")
    made = knowledge.article_from_problem(actor=world.users["client_admin"], problem=problem)
    assert made.source_problem == problem and made.title == "Ward printers jam"
    assert "Worn rollers" in made.body and "Feed by hand" in made.body and "Labels tear" in made.body
    assert list(made.known_errors.all()) == [problem.known_error]


def test_link_work_order_and_deflection(world, article, resolved):
    published = article(publish=True, audience="requesters")
    draft = article()
    agent = world.users["vendor_agent"]
    knowledge.article_link_work_order(actor=agent, article=published, work_order=resolved)
    knowledge.article_link_work_order(actor=agent, article=published, work_order=resolved)
    assert ArticleWorkOrder.objects.filter(article=published).count() == 1
    with pytest.raises(ApplicationError):
        knowledge.article_link_work_order(actor=agent, article=draft, work_order=resolved)
    made = knowledge.deflection_record(
        actor=world.users["requester"],
        article=published,
        title="打印机卡纸",
        description="卡住了",
        service=world.service,
    )
    assert (made.typed_title, made.organisation) == ("打印机卡纸", world.org)
    with pytest.raises(NotAllowed):
        knowledge.deflection_record(actor=agent, article=published)
    with pytest.raises(ApplicationError):
        knowledge.deflection_record(actor=world.users["requester"], article=draft)
    with pytest.raises(ApplicationError):
        knowledge.deflection_record(actor=world.users["foreign_requester"], article=published)
    assert Deflection.objects.count() == 1
