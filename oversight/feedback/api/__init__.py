"""REST API of the feedback app (registered in oversight.api_urls)."""
