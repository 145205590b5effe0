"""Benchmarks and the synthetic vault generator behind `make bench`."""
