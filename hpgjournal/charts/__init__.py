"""matplotlib Figure builders (no pyplot, no Qt widgets)."""
