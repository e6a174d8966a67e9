"""Waiting helpers shared by the embedded-engine suite: every wait is bounded."""

import time

WAIT = 5.0


def wait_until(predicate, timeout=WAIT):
    """Polls `predicate` until it holds (True) or `timeout` seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def next_message(pubsub, timeout=WAIT):
    """The next message get_message() yields within `timeout` seconds; fails otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        message = pubsub.get_message(timeout=max(0.0, deadline - time.monotonic()))
        if message is not None:
            return message
    raise AssertionError(f"no pub/sub message within {timeout} s")
