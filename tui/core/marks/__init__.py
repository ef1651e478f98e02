"""Read and star marks: the model (`model`), the merge rule (`merge`) and the TOML shape with its
codec (`codec`). No file I/O here: the state file is `tui.core.state`'s."""
