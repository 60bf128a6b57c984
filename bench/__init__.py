"""Benchmarks with explicit budgets: ``python -m bench`` runs them all."""
