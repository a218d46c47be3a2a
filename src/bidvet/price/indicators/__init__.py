"""The price indicators, one module per kind of signal; each registers itself with
:func:`bidvet.price.registry.indicator`."""
