"""Sub-commands of ``digcomp-app``, one module per group; each registers its parsers."""
