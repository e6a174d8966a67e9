"""Job functions for rq_burst_worker.py: an RQ worker imports them by name."""


def add(a, b):
    return a + b


def fail():
    raise ValueError("boom")
