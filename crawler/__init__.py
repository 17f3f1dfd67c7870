"""crawler: scheduled news scraping and ingestion with version history."""

__version__ = "0.1.0"
