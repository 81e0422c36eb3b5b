"""REST API of the tickets app (registered in oversight.api_urls)."""
