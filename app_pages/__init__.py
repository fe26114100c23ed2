"""Streamlit pages: thin views over the `segments` and `campaigns` cores."""
