"""Discovery: one generic spider built from a source's config."""
