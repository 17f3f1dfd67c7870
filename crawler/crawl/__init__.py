"""Running crawls: the Scrapy settings built from a source, and the runner."""
