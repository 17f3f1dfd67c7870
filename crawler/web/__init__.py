"""Look at what is stored: read-only queries, word diffs, and the ``crawler serve`` web app."""
