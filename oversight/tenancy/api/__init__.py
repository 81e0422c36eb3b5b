"""REST API of the tenancy app (registered in oversight.api_urls)."""
