"""Time-bank pages. Every object comes through the scope layer (visible_to / get_visible_or_404)."""
