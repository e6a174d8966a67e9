"""RQ (Debian's python3-rq, 1.13) against a running server on $EMBER_TEST_PORT.

RQ keeps its queues in lists and sets, jobs in hashes, registries in sorted sets, and since
1.12 each job's results in a stream (XADD ... MAXLEN ~, XREVRANGE): a burst worker runs 20
jobs, one of them failing, and every result is read back through RQ's own API. Run by
tests/compat/client_suites_test.cc; exits non-zero on any mismatch.
"""

import os
import sys

import redis
from rq import Queue, SimpleWorker
from rq.job import JobStatus
from rq.results import Result

PORT = int(os.environ["EMBER_TEST_PORT"])


def main():
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    connection = redis.Redis(host="127.0.0.1", port=PORT, socket_timeout=30)
    connection.flushall()
    queue = Queue("default", connection=connection)
    jobs = [queue.enqueue("rq_jobs.add", i, 100) for i in range(19)]
    failing = queue.enqueue("rq_jobs.fail")
    assert queue.count == 20, queue.count

    worker = SimpleWorker([queue], connection=connection)
    assert worker.work(burst=True)

    assert queue.count == 0, queue.count
    for i, job in enumerate(jobs):
        job.refresh()
        assert job.get_status() == JobStatus.FINISHED, (i, job.get_status())
        assert job.return_value() == i + 100, (i, job.return_value())
        result = job.latest_result()
        assert result.type == Result.Type.SUCCESSFUL, result.type
        assert len(job.results()) == 1
        assert connection.type(f"rq:results:{job.id}") == b"stream"
    failing.refresh()
    assert failing.get_status() == JobStatus.FAILED, failing.get_status()
    failed = failing.latest_result()
    assert failed.type == Result.Type.FAILED, failed.type
    assert "ValueError: boom" in failed.exc_string, failed.exc_string
    assert queue.finished_job_registry.count == 19
    assert queue.failed_job_registry.count == 1

    # Running a job again adds a second result to its stream, newest first.
    job = jobs[0]
    queue.enqueue_job(job)
    assert SimpleWorker([queue], connection=connection).work(burst=True)
    assert [r.type for r in job.results()] == [Result.Type.SUCCESSFUL] * 2
    assert connection.xlen(f"rq:results:{job.id}") == 2
    print("rq burst worker: 21 jobs, results read back from streams")


if __name__ == "__main__":
    main()
