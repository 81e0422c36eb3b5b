"""Reads of configuration items, their classes, relations and impact, limited to what the acting user may see.

Vendor staff see the CIs their vendor owns (and supports: a CI's support contract is its owner vendor's), the
relations between those CIs, and the classes and redundancy groups of their organisation;
requesters see none; the client's roles see their organisation's. Impact is computed on the organisation's
whole graph (a failure travels through CIs the user may not see), and only what the user may see is shown.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from oversight.configuration import graph as graph_calc
from oversight.configuration import impact as impact_calc
from oversight.configuration.choices import UNAVAILABLE_STATUSES, CIStatus
from oversight.configuration.models import (
    CIAttributeDefinition,
    CIClass,
    CIImport,
    CIRelation,
    ConfigurationItem,
    RedundancyGroup,
    RelationType,
    SpotCheck,
    SpotCheckItem,
    WorkOrderCI,
)
from oversight.tenancy.visibility import restrict

LIST_RELATED = ("ci_class", "vendor", "site")


def ci_list(*, user, action: str = "view") -> QuerySet[ConfigurationItem]:
    """CIs the user may see (or change), with what list pages need joined in."""
    return restrict(ConfigurationItem.objects.select_related(*LIST_RELATED), user, action)


def ci_get(*, user, pk) -> ConfigurationItem:
    """One visible CI, or 404 (never 403)."""
    try:
        return ci_list(user=user).select_related("support_contract", "redundancy_group").get(pk=pk)
    except (ConfigurationItem.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def ci_class_list(*, user) -> QuerySet[CIClass]:
    """The CI classes of the user's organisation."""
    return restrict(CIClass.objects.all(), user)


def ci_class_get(*, user, pk) -> CIClass:
    """One visible class, or 404."""
    try:
        return ci_class_list(user=user).get(pk=pk)
    except (CIClass.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def attribute_definitions(*, user, ci_class: CIClass) -> QuerySet[CIAttributeDefinition]:
    """The attribute definitions of a class, in their order."""
    return restrict(CIAttributeDefinition.objects.filter(ci_class=ci_class), user)


def relation_type_list(*, user) -> QuerySet[RelationType]:
    """Every relation type (global reference data)."""
    return restrict(RelationType.objects.all(), user)


def redundancy_group_list(*, user) -> QuerySet[RedundancyGroup]:
    """The redundancy groups of the user's organisation."""
    return restrict(RedundancyGroup.objects.all(), user)


def redundancy_group_get(*, user, pk) -> RedundancyGroup:
    """One visible redundancy group, or 404."""
    try:
        return redundancy_group_list(user=user).get(pk=pk)
    except (RedundancyGroup.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def redundancy_group_states(*, user, organisation_id: int) -> dict[int, dict]:
    """For each redundancy group of the organisation, as things stand now: how many members it has (retired
    ones are not counted), how many must be up, how many are up (neither down nor impacted through their own
    relations) and whether it works; one walk of the organisation's graph for all of them."""
    graph, services, statuses = organisation_graph(organisation_id)
    down = {pk for pk, status in statuses.items() if status in UNAVAILABLE_STATUSES}
    result = impact_calc.impact(graph, down, services)
    return {
        group.key: {
            "members": len(group.members),
            "required": group.required(),
            "up": len(group.members - result.unavailable),
            "works": group.key not in result.failed_groups,
        }
        for group in graph.groups
    }


def relation_list(*, user) -> QuerySet[CIRelation]:
    """Relations the user may see: those between two CIs they see (the gate lets a relation be seen with its
    source; the target must be visible too, so no name of a CI the user may not see is ever shown)."""
    visible = ci_list(user=user).values("pk")
    return restrict(
        CIRelation.objects.select_related("relation_type", "source", "source__ci_class", "target", "target__ci_class"),
        user,
    ).filter(target__in=visible)


def relations_of(*, user, ci: ConfigurationItem) -> tuple[list[CIRelation], list[CIRelation]]:
    """The visible relations of one CI: (outgoing, incoming), each with the other end joined in."""
    qs = relation_list(user=user)
    return list(qs.filter(source=ci).order_by("relation_type__code", "target__name")), list(
        qs.filter(target=ci).order_by("relation_type__code", "source__name")
    )


def organisation_graph(organisation_id: int) -> tuple[impact_calc.Graph, frozenset, dict]:
    """The whole dependency graph of an organisation for the impact walk (not limited by the gate: a failure
    travels through every CI), its business services, and the status of each CI."""
    edges = tuple(
        impact_calc.Edge(source, target)
        for source, target in CIRelation.objects.filter(
            source__organisation_id=organisation_id, relation_type__propagates=True
        )
        .exclude(source__status=CIStatus.RETIRED)
        .exclude(target__status=CIStatus.RETIRED)
        .values_list("source_id", "target_id")
    )
    rows = list(
        ConfigurationItem.objects.filter(organisation_id=organisation_id)
        .exclude(status=CIStatus.RETIRED)
        .values_list("pk", "status", "redundancy_group_id", "ci_class__is_business_service")
    )
    members: dict[int, set[int]] = {}
    for pk, _status, group_id, _service in rows:
        if group_id is not None:
            members.setdefault(group_id, set()).add(pk)
    groups = tuple(
        impact_calc.Group(
            members=frozenset(members.get(group.pk, ())),
            min_up=group.min_up,
            min_up_percent=group.min_up_percent,
            key=group.pk,
        )
        for group in RedundancyGroup.objects.filter(organisation_id=organisation_id)
    )
    services = frozenset(pk for pk, _status, _group, service in rows if service)
    statuses = {pk: status for pk, status, _group, _service in rows}
    return impact_calc.Graph(edges=edges, groups=groups), services, statuses


def _visible_ids(user, ids) -> set[int]:
    return set(ci_list(user=user).filter(pk__in=list(ids)).values_list("pk", flat=True))


def what_if_down(*, user, ci: ConfigurationItem) -> dict:
    """What would be impacted if this CI went down, with everything else as it stands now, limited to what the
    user may see: ``{"impacted": [ids], "services": [ids]}``."""
    graph, services, statuses = organisation_graph(ci.organisation_id)
    down = {pk for pk, status in statuses.items() if status in UNAVAILABLE_STATUSES}
    before = impact_calc.impact(graph, down, services)
    after = impact_calc.impact(graph, down | {ci.pk}, services)
    added = (after.impacted | after.down) - before.unavailable - {ci.pk}
    visible = _visible_ids(user, added)
    return {
        "impacted": sorted(visible),
        "services": sorted(visible & services),
    }


def current_impact(*, user, organisation_id: int) -> dict:
    """What the CIs that are down or under maintenance impact right now, limited to what the user may see."""
    graph, services, statuses = organisation_graph(organisation_id)
    down = {pk for pk, status in statuses.items() if status in UNAVAILABLE_STATUSES}
    result = impact_calc.impact(graph, down, services)
    visible = _visible_ids(user, result.down | result.impacted)
    return {
        "down": sorted(visible & result.down),
        "impacted": sorted(visible & result.impacted),
        "services": sorted(visible & result.services),
    }


def what_impacts(*, user, ci: ConfigurationItem) -> list[int]:
    """Every CI this one needs, directly or through others (what could impact it), that the user may see."""
    graph, _services, _statuses = organisation_graph(ci.organisation_id)
    return sorted(_visible_ids(user, impact_calc.dependencies(graph, ci.pk)))


def neighbourhood(*, user, ci: ConfigurationItem, depth: int = 2) -> tuple[dict[int, int], list[CIRelation], dict]:
    """The CI's graph two hops each way over relations between CIs the user may see: each CI's row (0 the CI,
    negative what needs it, positive what it needs), the relations among them, and the CIs by id."""
    relations = list(relation_list(user=user).filter(source__organisation_id=ci.organisation_id))
    rows = graph_calc.rows_of(ci.pk, [(r.source_id, r.target_id) for r in relations], depth)
    shown = [r for r in relations if r.source_id in rows and r.target_id in rows]
    items = {r.source_id: r.source for r in shown} | {r.target_id: r.target for r in shown} | {ci.pk: ci}
    return rows, shown, items


def work_order_cis(*, user, work_order) -> QuerySet[WorkOrderCI]:
    """The CIs linked to a work order that the user may see (the link is seen with the work order, the CI through
    its own rule)."""
    return (
        restrict(WorkOrderCI.objects.filter(work_order=work_order), user)
        .filter(ci__in=ci_list(user=user).values("pk"))
        .select_related("ci", "ci__ci_class")
        .order_by("linked_at", "pk")
    )


def work_order_impact(*, user, work_order, links=None) -> list[int]:
    """The business services the work order's linked CIs impact, that the user may see: the services above a
    linked CI (or the linked service itself) that are unavailable when the linked CIs are down, with everything
    else as it stands now (a cluster with enough members up still shields its dependants)."""
    cis = [link.ci for link in (links if links is not None else work_order_cis(user=user, work_order=work_order))]
    return services_impacted(user=user, organisation_id=work_order.organisation_id, ci_ids=[ci.pk for ci in cis])


def services_impacted(*, user, organisation_id: int, ci_ids) -> list[int]:
    """The business services above the given CIs (or those services themselves) that are unavailable when these
    CIs are down, with everything else as it stands now, that the user may see (a work order's linked CIs, the
    CIs a change takes down)."""
    if not ci_ids:
        return []
    graph, services, statuses = organisation_graph(organisation_id)
    down = {pk for pk, status in statuses.items() if status in UNAVAILABLE_STATUSES}
    linked = frozenset(pk for pk in ci_ids if pk in statuses)
    above = impact_calc.impact(impact_calc.Graph(edges=graph.edges), linked).impacted | linked
    affected = impact_calc.impact(graph, down | linked, services).unavailable & above & services
    return sorted(_visible_ids(user, affected))


def work_order_link_get(*, user, pk) -> WorkOrderCI:
    """One link the user may see (its work order and its CI both visible), or 404."""
    try:
        return (
            restrict(WorkOrderCI.objects.select_related("work_order", "ci"), user)
            .filter(ci__in=ci_list(user=user).values("pk"))
            .get(pk=pk)
        )
    except (WorkOrderCI.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def import_list(*, user) -> QuerySet[CIImport]:
    """The CI imports of the user's organisation (the client's side; vendors see none), newest first."""
    return restrict(CIImport.objects.select_related("created_by"), user).defer("rows")


def import_get(*, user, pk) -> CIImport:
    """One visible import with its rows, or 404."""
    try:
        return restrict(CIImport.objects.select_related("created_by"), user).get(pk=pk)
    except (CIImport.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def spot_check_list(*, user) -> QuerySet[SpotCheck]:
    """Spot checks the user may see (the client's side: all of the organisation; a vendor: of its CIs)."""
    return restrict(SpotCheck.objects.select_related("vendor", "checker"), user)


def spot_check_get(*, user, pk) -> SpotCheck:
    """One visible spot check, or 404."""
    try:
        return spot_check_list(user=user).get(pk=pk)
    except (SpotCheck.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def spot_check_item_list(*, user) -> QuerySet[SpotCheckItem]:
    """Checked items of visible spot checks, with their CI and check joined in."""
    return restrict(SpotCheckItem.objects.select_related("spot_check", "spot_check__vendor", "ci"), user)
