"""Benchmarks: speed and query counts of actiontrack's pages (not timed tests)."""
