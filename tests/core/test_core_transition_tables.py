"""One table test per state machine: the edges are pinned, every status and action is a real choice, the
audit names are the ones the trail already holds, and the helper's decision follows the table exactly."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from oversight.changes.choices import CHANGE_MACHINE, ChangeAction, ChangeStatus
from oversight.changes.models import Change
from oversight.configuration.choices import CI_MACHINE, CIAction, CIStatus
from oversight.configuration.models import ConfigurationItem
from oversight.contracts.choices import CONTRACT_MACHINE, ContractAction, ContractStatus
from oversight.contracts.models import Contract
from oversight.core.errors import InvalidTransition
from oversight.core.transitions import Machine
from oversight.feedback.choices import (
    COMPLAINT_MACHINE,
    DRAW_MACHINE,
    ComplaintAction,
    ComplaintStatus,
    DrawAction,
    DrawStatus,
)
from oversight.feedback.models import Complaint, PrizeDraw
from oversight.improvement.choices import ITEM_MACHINE, ItemAction, ItemStatus
from oversight.improvement.models import ImprovementItem
from oversight.knowledge.choices import ARTICLE_MACHINE, ArticleAction, ArticleStatus
from oversight.knowledge.models import Article
from oversight.liaisons.choices import (
    ESCALATION_MACHINE,
    HOTLINE_MACHINE,
    EscalationAction,
    EscalationStatus,
    HotlineAction,
    HotlineStatus,
)
from oversight.liaisons.models import Escalation, HotlineReport
from oversight.mailintake.choices import INBOUND_MACHINE, InboundAction, InboundStatus
from oversight.mailintake.models import InboundMail
from oversight.meetings.choices import (
    ACTION_MACHINE as MEETING_ACTION_MACHINE,
)
from oversight.meetings.choices import (
    MEETING_MACHINE,
    ActionAction,
    ActionStatus,
    MeetingAction,
    MeetingStatus,
)
from oversight.meetings.models import ActionItem, Meeting
from oversight.notifications.channels.choices import DELIVERY_MACHINE as CHANNEL_DELIVERY_MACHINE
from oversight.notifications.channels.choices import DeliveryAction as ChannelDeliveryAction
from oversight.notifications.channels.choices import DeliveryStatus as ChannelDeliveryStatus
from oversight.notifications.channels.models import Delivery as ChannelDelivery
from oversight.projects.choices import (
    BASELINE_MACHINE,
    PROJECT_MACHINE,
    BaselineAction,
    BaselineStatus,
    ProjectAction,
    ProjectStatus,
)
from oversight.projects.models import Baseline, Project
from oversight.reports.choices import DELIVERY_MACHINE, DeliveryAction, DeliveryStatus
from oversight.reports.models import ReportDelivery
from oversight.risks.choices import (
    CONTINGENCY_MACHINE,
    MITIGATION_MACHINE,
    RISK_MACHINE,
    ContingencyActionKind,
    ContingencyStatus,
    MitigationAction,
    MitigationStatus,
    RiskAction,
    RiskStatus,
)
from oversight.risks.choices_quant import SIMULATION_MACHINE, SimulationAction, SimulationStatus
from oversight.risks.models import ContingencyAction, Mitigation, Risk, SimulationRun
from oversight.scorecards.choices import (
    DISPUTE_MACHINE,
    PERIOD_MACHINE,
    DisputeAction,
    DisputeStatus,
    PeriodAction,
    PeriodStatus,
)
from oversight.scorecards.models import Dispute, EvaluationPeriod
from oversight.settlement.choices import STATEMENT_MACHINE, StatementAction, StatementStatus
from oversight.settlement.models import SettlementStatement
from oversight.tickets.choices import WORK_ORDER_MACHINE, Action, Status
from oversight.tickets.models import WorkOrder

# machine, its model, its statuses, its actions, its edges (action, from, to) and sample audit names.
MACHINES = {
    "work order": (
        WORK_ORDER_MACHINE,
        WorkOrder,
        Status,
        Action,
        {
            ("dispatch", "new", "dispatched"),
            ("dispatch", "dispatched", "dispatched"),
            ("accept", "new", "accepted"),
            ("accept", "dispatched", "accepted"),
            ("arrive", "accepted", "on_site"),
            ("pause_requester", "accepted", "pending_requester"),
            ("pause_requester", "on_site", "pending_requester"),
            ("pause_third_party", "accepted", "pending_third_party"),
            ("pause_third_party", "on_site", "pending_third_party"),
            ("pause_problem", "accepted", "pending_problem"),
            ("pause_problem", "on_site", "pending_problem"),
            ("resume", "pending_requester", None),
            ("resume", "pending_third_party", None),
            ("resume", "pending_problem", None),
            *(
                ("resolve", s, "resolved")
                for s in ("accepted", "on_site", "pending_requester", "pending_third_party", "pending_problem")
            ),
            ("confirm", "resolved", "closed"),
            ("auto_close", "resolved", "closed"),
            ("reopen", "resolved", "accepted"),
            *(
                ("cancel", s, "cancelled")
                for s in (
                    "new",
                    "dispatched",
                    "accepted",
                    "on_site",
                    "pending_requester",
                    "pending_third_party",
                    "pending_problem",
                )
            ),
        },
        {("accept", "accepted"): "tickets.workorder.accept", ("resolve", "resolved"): "tickets.workorder.resolve"},
    ),
    "complaint": (
        COMPLAINT_MACHINE,
        Complaint,
        ComplaintStatus,
        ComplaintAction,
        {
            ("investigate", "open", "investigating"),
            ("resolve", "open", "resolved"),
            ("resolve", "investigating", "resolved"),
            ("close", "resolved", "closed"),
            ("reopen", "resolved", "investigating"),
            ("reopen", "closed", "investigating"),
        },
        {("resolve", "resolved"): "feedback.complaint.resolve"},
    ),
    "evaluation period": (
        PERIOD_MACHINE,
        EvaluationPeriod,
        PeriodStatus,
        PeriodAction,
        {
            ("publish", "draft", "published"),
            ("dispute", "published", "disputed"),
            ("dispute", "disputed", "disputed"),
            ("dispute", "signed_client", "disputed"),
            ("settle_disputes", "disputed", "published"),
            ("sign_client", "published", "signed_client"),
            ("sign_vendor", "signed_client", "signed"),
            ("lock", "signed", "locked"),
        },
        {("publish", "published"): "scorecards.evaluationperiod.published"},
    ),
    "dispute": (
        DISPUTE_MACHINE,
        Dispute,
        DisputeStatus,
        DisputeAction,
        {("accept", "open", "accepted"), ("reject", "open", "rejected")},
        {("accept", "accepted"): "scorecards.dispute.accepted", ("reject", "rejected"): "scorecards.dispute.rejected"},
    ),
    "change": (
        CHANGE_MACHINE,
        Change,
        ChangeStatus,
        ChangeAction,
        {
            ("assess", "new", "assessed"),
            ("authorise", "new", "authorised"),
            ("authorise", "assessed", "authorised"),
            ("reject", "new", "rejected"),
            ("reject", "assessed", "rejected"),
            ("schedule", "new", "scheduled"),
            ("schedule", "authorised", "scheduled"),
            ("start", "scheduled", "implementing"),
            ("record_unauthorised", "new", "implementing"),
            ("record_unauthorised", "assessed", "implementing"),
            ("record_unauthorised", "authorised", "implementing"),
            ("complete", "implementing", "review"),
            ("close", "review", "closed"),
            *(("cancel", s, "cancelled") for s in ("new", "assessed", "authorised", "scheduled")),
        },
        {("authorise", "authorised"): "changes.change.authorise", ("close", "closed"): "changes.change.close"},
    ),
    "risk": (
        RISK_MACHINE,
        Risk,
        RiskStatus,
        RiskAction,
        {
            ("assess", "identified", "assessed"),
            ("treat", "assessed", "treating"),
            ("treat", "monitoring", "treating"),
            ("monitor", "assessed", "monitoring"),
            ("monitor", "treating", "monitoring"),
            *(("close", s, "closed") for s in ("identified", "assessed", "treating", "monitoring")),
            ("reopen", "closed", "identified"),
        },
        {("close", "closed"): "risks.risk.close", ("reopen", "identified"): "risks.risk.reopen"},
    ),
    "risk mitigation": (
        MITIGATION_MACHINE,
        Mitigation,
        MitigationStatus,
        MitigationAction,
        {
            ("start", "planned", "in_progress"),
            ("complete", "planned", "done"),
            ("complete", "in_progress", "done"),
            ("cancel", "planned", "cancelled"),
            ("cancel", "in_progress", "cancelled"),
            ("reopen", "done", "in_progress"),
            ("reopen", "cancelled", "in_progress"),
        },
        {("complete", "done"): "risks.mitigation.complete"},
    ),
    "risk contingency action": (
        CONTINGENCY_MACHINE,
        ContingencyAction,
        ContingencyStatus,
        ContingencyActionKind,
        {("complete", "open", "done"), ("cancel", "open", "cancelled")},
        {("cancel", "cancelled"): "risks.contingencyaction.cancel"},
    ),
    "risk simulation run": (
        SIMULATION_MACHINE,
        SimulationRun,
        SimulationStatus,
        SimulationAction,
        {
            ("start", "queued", "running"),
            ("finish", "running", "finished"),
            ("fail", "queued", "failed"),
            ("fail", "running", "failed"),
        },
        {("finish", "finished"): "risks.simulationrun.finish"},
    ),
    "contract": (
        CONTRACT_MACHINE,
        Contract,
        ContractStatus,
        ContractAction,
        {
            ("activate", "draft", "active"),
            ("expire", "active", "expired"),
            ("terminate", "draft", "terminated"),
            ("terminate", "active", "terminated"),
        },
        {
            ("activate", "active"): "contracts.contract.activated",
            ("expire", "expired"): "contracts.contract.expired",
            ("terminate", "terminated"): "contracts.contract.terminated",
        },
    ),
    "settlement statement": (
        STATEMENT_MACHINE,
        SettlementStatement,
        StatementStatus,
        StatementAction,
        {("approve", "draft", "approved")},
        {("approve", "approved"): "settlement.statement.approved"},
    ),
    "prize draw": (
        DRAW_MACHINE,
        PrizeDraw,
        DrawStatus,
        DrawAction,
        {("draw", "published", "drawn")},
        {("draw", "drawn"): "feedback.prizedraw.drawn"},
    ),
    "knowledge article": (
        ARTICLE_MACHINE,
        Article,
        ArticleStatus,
        ArticleAction,
        {
            ("submit", "draft", "review"),
            ("publish", "review", "published"),
            ("reject", "review", "draft"),
            ("retire", "published", "retired"),
            ("revise", "published", "draft"),
            ("revise", "retired", "draft"),
        },
        {("publish", "published"): "knowledge.article.publish", ("retire", "retired"): "knowledge.article.retire"},
    ),
    "configuration item": (
        CI_MACHINE,
        ConfigurationItem,
        CIStatus,
        CIAction,
        {
            ("commission", "planned", "in_use"),
            ("start_maintenance", "in_use", "maintenance"),
            ("start_maintenance", "down", "maintenance"),
            ("fail", "in_use", "down"),
            ("fail", "maintenance", "down"),
            ("restore", "maintenance", "in_use"),
            ("restore", "down", "in_use"),
            *(("retire", s, "retired") for s in ("planned", "in_use", "maintenance", "down")),
        },
        {("fail", "down"): "configuration.configurationitem.fail"},
    ),
    "report delivery": (
        DELIVERY_MACHINE,
        ReportDelivery,
        DeliveryStatus,
        DeliveryAction,
        {
            ("finish_sent", "sending", "sent"),
            ("finish_failed", "sending", "failed"),
            ("retry", "failed", "sending"),
        },
        {
            ("finish_sent", "sent"): "reports.reportdelivery.sent",
            ("finish_failed", "failed"): "reports.reportdelivery.failed",
            ("retry", "sending"): "reports.reportdelivery.retried",
        },
    ),
    "inbound mail": (
        INBOUND_MACHINE,
        InboundMail,
        InboundStatus,
        InboundAction,
        {
            ("process", "quarantined", "processed"),
            ("ignore", "quarantined", "ignored"),
            ("keep", "quarantined", "quarantined"),
            ("discard", "quarantined", "discarded"),
        },
        {
            ("process", "processed"): "mailintake.inboundmail.reprocessed",
            ("keep", "quarantined"): "mailintake.inboundmail.reprocessed",
            ("discard", "discarded"): "mailintake.inboundmail.discard",
        },
    ),
    "project": (
        PROJECT_MACHINE,
        Project,
        ProjectStatus,
        ProjectAction,
        {
            ("start", "planning", "active"),
            ("hold", "active", "on_hold"),
            ("resume", "on_hold", "active"),
            ("close_out", "active", "closing"),
            ("close_out", "on_hold", "closing"),
            ("close", "closing", "closed"),
        },
        {("start", "active"): "projects.project.start", ("close", "closed"): "projects.project.close"},
    ),
    "project baseline": (
        BASELINE_MACHINE,
        Baseline,
        BaselineStatus,
        BaselineAction,
        {("approve", "requested", "approved"), ("reject", "requested", "rejected")},
        {("approve", "approved"): "projects.baseline.approve"},
    ),
    "escalation": (
        ESCALATION_MACHINE,
        Escalation,
        EscalationStatus,
        EscalationAction,
        {("settle", "open", "settled")},
        {("settle", "settled"): "liaisons.escalation.settle"},
    ),
    "hotline report": (
        HOTLINE_MACHINE,
        HotlineReport,
        HotlineStatus,
        HotlineAction,
        {("convert", "new", "converted"), ("resolve", "converted", "resolved"), ("dismiss", "new", "dismissed")},
        {("convert", "converted"): "liaisons.hotlinereport.convert"},
    ),
    "improvement item": (
        ITEM_MACHINE,
        ImprovementItem,
        ItemStatus,
        ItemAction,
        {
            ("accept", "new", "accepted"),
            ("assess", "accepted", "assessed"),
            ("approve", "assessed", "approved"),
            ("start", "approved", "implementing"),
            ("hold", "implementing", "on_hold"),
            ("resume", "on_hold", "implementing"),
            ("complete", "implementing", "review"),
            ("close", "review", "closed"),
            *(("reject", s, "rejected") for s in ("new", "accepted", "assessed")),
        },
        {
            ("approve", "approved"): "improvement.improvementitem.approve",
            ("close", "closed"): "improvement.improvementitem.close",
        },
    ),
    "channel delivery": (
        CHANNEL_DELIVERY_MACHINE,
        ChannelDelivery,
        ChannelDeliveryStatus,
        ChannelDeliveryAction,
        {
            *(
                (action, source, target)
                for source in ("queued", "failed")
                for action, target in (
                    ("send", "sent"),
                    ("merge", "sent"),
                    ("fail", "failed"),
                    ("give_up", "dead"),
                )
            ),
            ("retry", "dead", "queued"),
            ("retry", "failed", "queued"),
        },
        {
            ("send", "sent"): "notifications.delivery.send",
            ("give_up", "dead"): "notifications.delivery.give_up",
            ("retry", "queued"): "notifications.delivery.retry",
        },
    ),
    "meeting": (
        MEETING_MACHINE,
        Meeting,
        MeetingStatus,
        MeetingAction,
        {
            ("hold", "planned", "held"),
            ("draft", "held", "minutes_drafted"),
            ("sign", "minutes_drafted", "signed"),
            ("cancel", "planned", "cancelled"),
        },
        {("hold", "held"): "meetings.meeting.hold", ("sign", "signed"): "meetings.meeting.sign"},
    ),
    "meeting action item": (
        MEETING_ACTION_MACHINE,
        ActionItem,
        ActionStatus,
        ActionAction,
        {
            ("start", "open", "in_progress"),
            ("complete", "open", "done"),
            ("complete", "in_progress", "done"),
            ("cancel", "open", "cancelled"),
            ("cancel", "in_progress", "cancelled"),
        },
        {("complete", "done"): "meetings.actionitem.complete"},
    ),
}


def _edges(machine: Machine) -> set[tuple[str, str, str | None]]:
    return {(action, source, target) for action, (sources, target) in machine.table.items() for source in sources}


@pytest.mark.parametrize("name", list(MACHINES))
def test_the_table_of_each_machine(name):
    machine, model, statuses, actions, edges, audit_names = MACHINES[name]
    assert isinstance(machine, Machine)
    assert _edges(machine) == edges
    # Every status the table names is a choice of the model's status field, every action a declared action,
    # and every status of the model is named by the table (none is unreachable by accident).
    field_choices = {value for value, _label in model._meta.get_field(machine.status_field).choices}
    assert set(statuses.values) == field_choices
    assert machine.statuses() == field_choices
    assert set(machine.table) == set(actions.values)
    for (action, target), audit in audit_names.items():
        assert machine.audit_action(action, target) == audit
    # The decision follows the table for every status and action: allowed moves go ahead, the rest is
    # refused or (from the to-status, when the machine takes it for the same request) a harmless repeat.
    for status in field_choices:
        for action in machine.table:
            sources, target = machine.table[action]
            obj = SimpleNamespace(status=status, seed="", events=None)
            if status in sources:
                assert machine.decide(obj, None, action, target="chosen" if target is None else None) == (
                    target or "chosen"
                )
            elif status == target and machine.same_request is not WORK_ORDER_MACHINE.same_request:
                params = {"seed": ""}
                same = machine.same_request(obj, None, action, params)
                if same:
                    assert machine.decide(obj, None, action, params) is None
                else:
                    with pytest.raises(InvalidTransition):
                        machine.decide(obj, None, action, params)
            elif status != target:
                with pytest.raises(InvalidTransition):
                    machine.decide(obj, None, action)
    with pytest.raises(InvalidTransition):
        machine.decide(SimpleNamespace(status=next(iter(field_choices))), None, "no-such-action")
