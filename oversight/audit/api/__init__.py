"""REST API of the audit app (registered in oversight.api_urls)."""
