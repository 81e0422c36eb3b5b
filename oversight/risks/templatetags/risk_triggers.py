"""Template tags of the trigger part: the risk events that touched a risk, for the register's risk page."""

from django import template

from oversight.risks.selectors import events_of_risk

register = template.Library()


@register.simple_tag
def risk_events_of(risk) -> list:
    """The risk events that raised this risk (the page read the risk through the gate), newest first."""
    return list(events_of_risk(risk)[:20])
