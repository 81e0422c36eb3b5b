"""Web views of the reports app, one module per part: service reports, schedules, the vendor dashboard."""
