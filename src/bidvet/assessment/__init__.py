"""Assessing a tender: bidders → findings → outcome per bidder, as of a date, with the report.

``tender`` reads the tender file, ``engine`` runs the framework over every bidder, ``report``
turns the result into the stable ``bidvet-assessment/1`` JSON document.
"""
