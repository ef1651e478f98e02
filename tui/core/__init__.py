"""The core of papers-tui, apart from the UI: never imports Textual (a test checks)."""
