"""Pure data code for the dashboard: loading, validation, derivation, formatting.

Nothing in this package imports streamlit; the UI layer (``ui/``) caches and lays out.
"""
