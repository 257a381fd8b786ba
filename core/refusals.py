"""A write the data's own rules refuse, whichever path it came by.

The models raise a subclass (a stale copy, a locked report, evidence of a locked report); the
admin, the review site, the import and the commands catch ``WriteRefused`` and show its message
— in Swedish, saying what and why — instead of a server error. Nothing has been written.
"""


class WriteRefused(Exception):
    """Refused by a rule of the data; ``message`` is for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = str(message)
