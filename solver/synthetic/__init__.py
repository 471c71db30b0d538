"""Realistic synthetic counties for tests, benchmarks and demonstrations."""
