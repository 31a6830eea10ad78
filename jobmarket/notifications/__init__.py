"""Notifications: mail, the work queue, in-app notices, job alerts. Features call `notify(user, kind, **context)`.

``jobmarket.notifications.notify(user, kind, key=None, **context)`` writes the in-app notice in the caller's
transaction and queues the mail (sent after commit, in the user's language, unless switched off). See events.py
for the kinds and what context each shows.
"""


def notify(user, kind: str, **kwargs):
    """Tell a user something in the app and by mail; see events.notify."""
    from .events import notify as _notify

    return _notify(user, kind, **kwargs)
