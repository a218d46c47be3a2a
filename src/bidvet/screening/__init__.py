"""Screening: names (rigour) → candidate index → calibrated scoring with explanation → matches.

Read in this order: :mod:`.normalize` (what a name is compared as), :mod:`.index` (which stored
names are worth comparing), :mod:`.features` and :mod:`.score` (how two names are scored and
explained), :mod:`.lists` (which lists a matched entity is on) and :mod:`.engine` (the
``Screener`` that ties them to the knowledge store).
"""
