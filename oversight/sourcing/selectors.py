"""Reads of sourcing, limited to what the acting user may see (the one gate, ADR 0007).

- Scenarios: client roles of the organisation; vendor staff and requesters see none (404).
- Commercial models: seen with their contract — the client side, and the contract's own vendor once the contract
  is activated (`contracts.selectors.contract_list`).
- Statements beside an expected charge come from `settlement.selectors` (a vendor sees its approved ones only).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from oversight.contracts.models import ContractVersion
from oversight.contracts.selectors import contract_list
from oversight.sourcing.models import CommercialModel, Scenario
from oversight.tenancy.visibility import restrict

MODEL_RELATED = ("contract_version", "contract_version__contract", "contract_version__contract__vendor")


def scenario_list(*, user) -> QuerySet[Scenario]:
    """Scenarios the user may see, newest change first."""
    return restrict(Scenario.objects.select_related("created_by"), user).order_by("-updated_at", "-id")


def scenario_get(*, user, pk) -> Scenario:
    """One visible scenario, or 404 (never 403: nobody learns that an invisible one exists)."""
    try:
        return scenario_list(user=user).get(pk=pk)
    except (Scenario.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def scenarios_by_ids(*, user, ids) -> list[Scenario]:
    """The visible scenarios among ``ids``, in the order given (unknown or invisible ids are left out)."""
    wanted = [int(i) for i in ids if str(i).isdigit()]
    found = {s.pk: s for s in scenario_list(user=user).filter(pk__in=wanted)}
    return [found[i] for i in dict.fromkeys(wanted) if i in found]


def commercial_model_list(*, user) -> QuerySet[CommercialModel]:
    """Commercial models the user may see (with their contract: vendor staff never see a draft's), in order."""
    visible = contract_list(user=user).values("pk")
    return (
        restrict(CommercialModel.objects.select_related(*MODEL_RELATED), user)
        .filter(contract_version__contract__in=visible)
        .order_by("contract_version__contract__number", "contract_version__number")
    )


def commercial_model_get(*, user, pk) -> CommercialModel:
    """One visible commercial model, or 404."""
    try:
        return commercial_model_list(user=user).get(pk=pk)
    except (CommercialModel.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def contract_version_choices(*, user) -> QuerySet[ContractVersion]:
    """Contract versions a commercial model may be given for (visible, without one yet)."""
    return (
        restrict(ContractVersion.objects.select_related("contract", "contract__vendor"), user, "change")
        .filter(commercial_model__isnull=True)
        .order_by("contract__number", "number")
    )
