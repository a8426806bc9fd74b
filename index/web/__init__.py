"""The web page and JSON API over the index (``search --serve``).

Thin over :func:`index.open_index`: one set of handlers (:mod:`.views`) answers both the page
(``/``, ``/documents/{id}``) and the API (``/api/…``) from the same data, as Datasette does;
templates only present. :mod:`.app` adds what an HTTP server owes untrusted clients (token,
caps, security headers, JSON errors), :mod:`.server` runs it under uvicorn.
"""
