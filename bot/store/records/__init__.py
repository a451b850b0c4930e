"""What each feature's entries contribute, in SQL: its /history listing and its summary part.

One module per feature; the feature declares them in ``bot/features/<name>/records.py``. The
shared code (``store.history``, ``store.summary``, ``store.export``) loops over what it is given.
"""
