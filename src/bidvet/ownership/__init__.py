"""Ownership and control: dated graph, look-through interest, listed-status propagation."""
