"""Pages of the liaisons app: liaisons and the escalation matrix (`contacts`), escalations (`escalations`), the
hotline's settings and reports and its public page (`hotline`)."""
