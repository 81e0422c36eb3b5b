"""Indicator codes of the built-in formulas (stable: stored by evaluations, contracts and schemes)."""

from __future__ import annotations

RESPONSE_TIMELINESS = "response_timeliness"
ONSITE_TIMELINESS = "onsite_timeliness"
RESOLUTION_TIMELINESS = "resolution_timeliness"
RESOLUTION_RATE = "resolution_rate"
MTTR = "mttr"
FIRST_TIME_FIX = "first_time_fix"
REOPEN_RATE = "reopen_rate"
REPEAT_RATE = "repeat_rate"
CSAT_MEAN = "csat_mean"
CSAT_SATISFIED_SHARE = "csat_satisfied_share"
NPS = "nps"
COMPLAINT_COUNT = "complaint_count"
BACKLOG_MEAN_AGE = "backlog_mean_age"
BACKLOG_MAX_AGE = "backlog_max_age"
AVAILABILITY = "availability"
# People dimension (人员): computed from the vendor's roster by oversight.kpi.people.
STAFF_FILL_RATE = "staff_fill_rate"
CERTIFICATE_VALIDITY = "certificate_validity"
