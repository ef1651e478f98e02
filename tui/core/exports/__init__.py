"""The export formats beyond the markdown of `tui.core.export`: BibTeX, JSON, CSV and one
markdown file per paper. Each renders `ExportItem`s (`items`): a paper with its marks.

The names live here, importing nothing, so that the config checks `export_format` without
loading the renderers."""

FORMAT_NAMES = ("md", "bibtex", "json", "csv")
