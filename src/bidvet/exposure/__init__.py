"""Contract-history exposure: the scan of past contracts, price red flags, and their reports."""
