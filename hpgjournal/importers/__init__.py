"""Lab file importers (pandas and the standard library; no Qt)."""
