"""REST API of the notifications app (registered in oversight.api_urls)."""
