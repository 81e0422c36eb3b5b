"""The risks app's models, one module per part: the register (risks, the matrix, ratings, mitigations,
reviews, contingency actions), the quantification and the triggers each add one import line here."""

from oversight.risks.models.quantification import (  # noqa: F401 - the quantification's models
    RiskCorrelation,
    RiskQuantification,
    SimulationRun,
)
from oversight.risks.models.register import (  # noqa: F401 - the app's models are found here
    ContingencyAction,
    Mitigation,
    Risk,
    RiskActivity,
    RiskCounter,
    RiskMatrix,
    RiskMatrixVersion,
    RiskRating,
    RiskReview,
)
from oversight.risks.models.triggers import (  # noqa: F401 - the trigger part's models
    KeyRiskIndicator,
    KriReading,
    KriRiskLink,
    RiskEvent,
    RiskEventEffect,
    VendorStateSettings,
)
