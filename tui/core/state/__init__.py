"""The read/star state: `triage_state` (the `TriageState` API the app and the commands use),
`saver` (the background thread that saves and polls) and `files` (signature, lock, atomic
replacement, corrupt copies aside)."""
