"""The error that stops start-up when the feature list is inconsistent (its own module, so the
declarations of ``base`` and ``records`` can both raise it without importing each other)."""


class FeatureError(RuntimeError):
    """The feature list is inconsistent: the bot does not start (the message says why)."""
