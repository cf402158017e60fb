"""Online look-ups for `readinglist resolve`: the only part of the project that touches the network.

One small client per service (arxiv, semantic_scholar, dblp, openreview, crossref, huggingface),
a matcher (match.py, pure functions), polite HTTP (http.py) and the run that ties them together
(run.py). What they find is written to `resolved.yml` (enrich/resolved.py reads and applies it,
without any network import, in every build).
"""
