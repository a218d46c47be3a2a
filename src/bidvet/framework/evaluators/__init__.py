"""One module per criterion family; each function registered with ``@evaluator``."""
