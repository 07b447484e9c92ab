"""The trained models kg ships (kg train writes them)."""
