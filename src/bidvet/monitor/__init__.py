"""Keeping what bidvet knows current: fetching new publications, and what changed between them."""
