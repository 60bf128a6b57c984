"""The only door to school data: one module per area, each function checks permission first."""
