"""A reliable job queue on redis-py against a running server on $EMBER_TEST_PORT.

The pattern Redis documents for LMOVE: producers LPUSH jobs onto `queue`; each worker moves
one job at a time with BLMOVE into its own `processing:<worker>` list, runs it (counted in
the hash `runs`), then LREMs it from its processing list. A worker killed mid-job leaves its
job in its processing list, from where a recovery step moves it back to the queue.

Run by tests/compat/client_suites_test.cc. 10,000 jobs from two producers, four workers, and
one worker process killed (SIGKILL) after it took a job and before it finished it. Exits
non-zero unless every job ran exactly once, the killed worker's job included, and nothing
is left in the queue or any processing list. `--doomed` runs the worker that gets killed.
"""

import os
import signal
import subprocess
import sys
import threading
import time

import redis

PORT = int(os.environ["EMBER_TEST_PORT"])
JOBS = 10000
PRODUCERS = 2
WORKERS = 4


def connect():
    return redis.Redis(host="127.0.0.1", port=PORT, socket_timeout=30)


def take(r, worker):
    """One job moved from the queue to this worker's processing list, or None after 1 s."""
    return r.blmove("queue", "processing:" + worker, 1, "RIGHT", "LEFT")


def doomed_worker():
    r = connect()
    job = take(r, "doomed")
    while job is None:
        job = take(r, "doomed")
    r.hset("started-by-doomed", "job", job)
    time.sleep(3600)  # killed here, mid-job


def worker(name, failures):
    r = connect()
    while True:
        job = take(r, name)
        if job is None:
            if r.hlen("runs") >= JOBS and r.llen("queue") == 0:
                return
            continue
        r.hincrby("runs", job, 1)
        if r.lrem("processing:" + name, 1, job) != 1:
            failures.append("%s: LREM did not find %r" % (name, job))


def producer(first, count):
    r = connect()
    for n in range(first, first + count):
        r.lpush("queue", "job-%d" % n)


def main():
    r = connect()
    r.flushall()
    doomed = subprocess.Popen([sys.executable, __file__, "--doomed"])
    failures = []
    workers = [threading.Thread(target=worker, args=("w%d" % i, failures)) for i in range(WORKERS)]
    producers = [
        threading.Thread(target=producer, args=(p * (JOBS // PRODUCERS), JOBS // PRODUCERS))
        for p in range(PRODUCERS)
    ]
    for thread in producers + workers:
        thread.start()

    deadline = time.time() + 30
    while r.hget("started-by-doomed", "job") is None and time.time() < deadline:
        time.sleep(0.01)
    doomed_job = r.hget("started-by-doomed", "job")
    os.kill(doomed.pid, signal.SIGKILL)
    doomed.wait()
    if doomed_job is None:
        failures.append("the doomed worker never took a job")
    elif r.lrange("processing:doomed", 0, -1) != [doomed_job]:
        failures.append("the killed worker's job is not in its processing list")
    # Recovery: the dead worker's jobs go back to the queue.
    while r.lmove("processing:doomed", "queue", "RIGHT", "RIGHT") is not None:
        pass

    for thread in producers + workers:
        thread.join(timeout=90)
        if thread.is_alive():
            failures.append("a thread did not finish")

    runs = r.hgetall("runs")
    if len(runs) != JOBS:
        failures.append("%d distinct jobs ran, expected %d" % (len(runs), JOBS))
    twice = [job for job, count in runs.items() if int(count) != 1]
    if twice:
        failures.append("%d jobs ran more than once, e.g. %r" % (len(twice), twice[:3]))
    if doomed_job is not None and runs.get(doomed_job) != b"1":
        failures.append("the killed worker's job %r ran %r times" % (doomed_job, runs.get(doomed_job)))
    if r.llen("queue") != 0:
        failures.append("jobs left in the queue")
    left = [key for key in r.scan_iter("processing:*")]
    if left:
        failures.append("processing lists not empty: %r" % left)
    if failures:
        for failure in failures:
            print("FAIL:", failure)
        return 1
    print("ok: %d jobs ran once each; the killed worker's job %r was recovered" % (JOBS, doomed_job))
    return 0


if __name__ == "__main__":
    if "--doomed" in sys.argv:
        doomed_worker()
    else:
        sys.exit(main())
