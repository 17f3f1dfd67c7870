"""Scrapy downloader middlewares of our own, one a file."""
