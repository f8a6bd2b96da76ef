"""Debrief's library: everything that is not UI. It never imports streamlit."""
