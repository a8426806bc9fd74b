"""The OpenSearch backend: the index mapping with Norwegian analysis (:mod:`.mapping`), the
bulk writer (:mod:`.writer`), our parsed query in OpenSearch's query DSL (:mod:`.query`) and
the searcher (:mod:`.searcher`), over one client set up from ``[opensearch]`` (:mod:`.client`).

Chosen by ``index.backend = "opensearch"`` in :mod:`index.backend`; nothing else imports it.
"""
