"""Dedupe: content fingerprints for change detection, and wire-story clusters."""
