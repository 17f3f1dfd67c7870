"""The daemon: each source's crawl on its own APScheduler cadence, in a child process per run."""
