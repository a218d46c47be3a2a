"""Matching a bidder or supplier to an entity of the knowledge store, saying when it is unsure.

Identifier first, then screening by name; thresholds in ``data/resolution.yaml``. The one
resolver the assessment, the exposure scan and the workspace use.
"""

from bidvet.resolution.resolver import Candidate, Resolution, Resolver, Subject

__all__ = ["Candidate", "Resolution", "Resolver", "Subject"]
