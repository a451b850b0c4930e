"""How each feature's entries read in /history (and, later, its lines in the summary).

One module per feature, each with ``label(entry)`` and ``detail(entry, related)``; the feature
declares them in ``bot/features/<name>/records.py``.
"""
