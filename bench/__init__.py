"""Benchmarks of LedMot pages at demo and large size; run with ``make bench``."""
