"""The ASGI entry point uvicorn's workers import: the app over ``BIDVET_DB``.

``BIDVET_WEB_SECURE_COOKIES`` (set by ``bidvet serve --secure-cookies/--no-secure-cookies``):
``1`` always, ``0`` never; unset: when the request came by https.

A worker freezes its long-lived objects out of the garbage collector's full passes once per
data version (:mod:`bidvet.web.heap`).
"""

from __future__ import annotations

import os

from bidvet.web import heap
from bidvet.web.app import create_app

heap.enable()  # a served worker: long-lived caches leave the collector's full passes
_secure = os.environ.get("BIDVET_WEB_SECURE_COOKIES")
app = create_app(secure_cookies=None if _secure in (None, "") else _secure == "1")
