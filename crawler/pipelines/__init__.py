"""Scrapy item pipelines, one a file, in flow order: extract → clean → dedupe → store."""
