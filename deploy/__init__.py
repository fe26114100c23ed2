"""Serving the app to a region: several server processes behind a proxy, and a thin client."""
