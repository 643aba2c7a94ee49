"""Model -> problems (validate) and figures (compute, pure Decimal arithmetic, no I/O)."""
