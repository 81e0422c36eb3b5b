"""REST API of the catalog app (registered in oversight.api_urls)."""
