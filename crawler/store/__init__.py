"""Storage: the schema, engines, the entry points that record fetches, and export."""
