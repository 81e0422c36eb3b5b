"""What happens to contracts, announced after commit (see oversight.core.events)."""

from oversight.core.events import define

CONTRACT_ACTIVATED = define(
    "contracts.contract.activated",
    "contract_id",
    "actor_id",
    doc="A draft contract was put in force; its version 1 applies from the term start.",
)
