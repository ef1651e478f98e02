"""Widgets of the papers-tui app."""
