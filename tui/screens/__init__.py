"""Screens of the papers-tui app."""
