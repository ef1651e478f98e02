"""Formats to papers: pure Python, no UI imports.

`parsing.sources` opens an input and picks its parser (`parsing.text_copy` for a copied
page, `parsing.hf_json` for the Hugging Face JSON); `parsing.model` is the paper record.
The modules are imported one by one, so that reading a text copy never loads `json`.
"""
