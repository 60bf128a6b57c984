"""PDF attestations and reports rendered from immutable snapshots (reportlab)."""
