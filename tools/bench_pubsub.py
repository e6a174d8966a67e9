#!/usr/bin/env python3
"""PUBLISH fan-out rows for tools/bench: messages delivered per second to 1, 10 and 1000
subscribers of one channel, counted by the subscribers themselves.

Why this shape: redis-benchmark can publish (as an arbitrary command) but cannot subscribe,
and its ops/s says how fast PUBLISH was acknowledged, not what reached anyone. So each run
starts this file as a separate process (a client: CPU 1 under --pin) that opens the
subscriber connections with raw sockets and SUBSCRIBEs them to one channel. Before the run
PUBSUB NUMSUB and a probe PUBLISH must both report every subscriber, and every connection must
receive the probe. Then redis-benchmark publishes, and the process only drains: every message
is the same RESP2 array of a known size, so bytes / size = messages, and each chunk read is
compared with the expected byte stream at its offset (one memcmp, no parsing). Reads take up
to 512 KiB, and when the server sends small pieces the reader naps 1 ms between rounds so
bytes gather: Python's cost per message stays far below the server's (the driver warns if the
process was busy more than 90% of the time). The rate is the messages of all connections over
the time from the first byte read to the last expected one. A connection closed by the server
(client-output-buffer-limit), a wrong byte, an extra message or a shortfall once the publisher
has finished and a grace period has passed fails the row. After the run a second probe must
again reach every subscriber, as the next message of each, and the process closes the
connections and waits until the server's NUMSUB is back to 0.

bench.py drives the process through the Subscribers context manager; every wait is bounded.
"""

import argparse
import json
import os
import resource
import select
import selectors
import socket
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # keep tools/ free of __pycache__

CHANNEL = b"bench:pubsub"
PAYLOAD = b"0123456789abcdef"
PROBE_PAYLOAD = b"probe-0123456789"  # as long as PAYLOAD, so a stray probe breaks the pattern


def _message(payload):
    """What a RESP2 subscriber receives per PUBLISH: [message, channel, payload]."""
    return b"*3\r\n$7\r\nmessage\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n" % (
        len(CHANNEL), CHANNEL, len(payload), payload)


MESSAGE, PROBE_MESSAGE = _message(PAYLOAD), _message(PROBE_PAYLOAD)
SUBSCRIBED = b"*3\r\n$9\r\nsubscribe\r\n$%d\r\n%s\r\n:1\r\n" % (len(CHANNEL), CHANNEL)
NUMSUB_HEAD = b"*2\r\n$%d\r\n%s\r\n:" % (len(CHANNEL), CHANNEL)  # then the count
CHUNK = 512 * 1024
CONNECT_BATCH = 100     # connections opened, subscribed and confirmed at a time
IO_TIMEOUT = 10.0       # any single blocking socket operation of the subscriber process
READY_TIMEOUT = 120.0   # driver: subscriber process started, subscribed, probed
GRACE = 30.0            # subscriber: time for the last messages once the publisher has ended
LIFETIME = 1800.0       # subscriber: a hard bound on the whole process
UNSUBSCRIBE_TIMEOUT = 10.0
# A server that writes each message on its own would otherwise cost one read (and one wake-up)
# per message or two: after a round of reads that brought little each, let bytes gather for
# 1 ms (a bound on how late the last message can be seen, and far below a run's length).
NAP, NAP_BELOW = 0.001, 4096


def publish_cases():
    """The PUBLISH rows, each with 50 publishing connections, sized to run 2-3 s against
    Redis. Requests are a multiple of the pipeline, so redis-benchmark sends exactly that
    many (it issues whole pipelines)."""
    rows = [(1, 1, 150_000), (1, 16, 1_000_000), (10, 1, 50_000), (10, 16, 400_000),
            (1000, 1, 4_800), (1000, 16, 4_800)]  # (subscribers, pipeline, requests)
    cases = []
    for subscribers, pipeline, requests in rows:
        assert requests % pipeline == 0
        args = ["-c", "50", "-P", str(pipeline), "-n", str(requests),
                "PUBLISH", CHANNEL.decode(), PAYLOAD.decode()]
        noun = "sub" if subscribers == 1 else "subs"
        cases.append({"name": f"PUBLISH {subscribers} {noun} P{pipeline}", "runs": [args],
                      "preload": None, "subscribers": subscribers, "publishes": requests})
    return cases


# ---------------------------------------------------------------------------------------------
# Driver side.
class Subscribers:
    """The subscriber process of one run of a PUBLISH case against one server. Entering starts
    it and returns once every connection is subscribed and has received the probe; delivered()
    waits for the count after the publisher has finished; leaving checks the final probe and
    reaps the process (killed if it does not end in time)."""

    def __init__(self, case, server, client_prefix, preexec, error):
        self.case, self.server, self.error = case, server, error
        self.argv = client_prefix + [sys.executable, os.path.abspath(__file__),
                                     "--port", str(server.port),
                                     "--subscribers", str(case["subscribers"]),
                                     "--messages", str(case["publishes"]),
                                     "--grace", str(GRACE)]
        self.preexec, self.proc, self.pending = preexec, None, b""

    def __enter__(self):
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, preexec_fn=self.preexec)
        try:
            self._event("ready", READY_TIMEOUT)
        except BaseException:
            self._reap()
            raise
        return self

    def delivered(self):
        """Tells the process the publisher is done; returns (messages delivered per second,
        messages delivered), or raises unless every subscriber received every message."""
        try:
            self.proc.stdin.write(b"published\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            pass  # the process has ended already; its report says why
        report = self._event("delivered", GRACE + IO_TIMEOUT)
        if report["seconds"] <= 0:
            raise self.error(f"{self._what()}: every message arrived in one read; too few to time")
        share = report["cpu_seconds"] / report["seconds"]
        if share > 0.9:
            print(f"bench: warning: {self._what()}: the subscriber process was busy "
                  f"{share:.0%} of the time ({report['messages'] / report['reads']:.1f} "
                  f"messages per read); the row may measure the client", file=sys.stderr)
        return report["messages"] / report["seconds"], report["messages"]

    def __exit__(self, kind, value, traceback):
        try:
            if kind is None:
                self._event("closed", 2 * IO_TIMEOUT + UNSUBSCRIBE_TIMEOUT)
        finally:
            self._reap()

    def _what(self):
        return f"{self.case['name']} on {self.server.name}"

    def _event(self, name, timeout):
        """The next JSON line of the process, which must be `name` and carry no error."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self.pending:
            left = deadline - time.monotonic()
            if left <= 0:
                raise self.error(f"{self._what()}: no '{name}' from the subscriber process "
                                 f"within {timeout:.0f} s")
            with selectors.DefaultSelector() as sel:
                sel.register(self.proc.stdout, selectors.EVENT_READ)
                if not sel.select(min(left, 1.0)):
                    continue
            data = os.read(self.proc.stdout.fileno(), 65536)
            if not data:
                raise self.error(f"{self._what()}: the subscriber process ended before "
                                 f"'{name}':\n{self._stderr()}")
            self.pending += data
        line, self.pending = self.pending.split(b"\n", 1)
        report = json.loads(line)
        if report.get("error"):
            raise self.error(f"{self._what()}: {report['error']}")
        if report.get("event") != name:
            raise self.error(f"{self._what()}: expected '{name}', got {line.decode()}")
        return report

    def _stderr(self):
        try:
            self.proc.wait(timeout=IO_TIMEOUT)
            return self.proc.stderr.read().decode(errors="replace")[-2000:]
        except subprocess.TimeoutExpired:
            return "(still running)"

    def _reap(self):
        if self.proc.stdin and not self.proc.stdin.closed:
            try:
                self.proc.stdin.close()
            except BrokenPipeError:
                pass
        try:
            self.proc.wait(timeout=IO_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()
        self.proc.stderr.close()


# ---------------------------------------------------------------------------------------------
# Subscriber process side. Failures are exceptions, reported as one JSON line.
class RunFailed(Exception):
    pass


def _emit(event, **fields):
    sys.stdout.write(json.dumps({"event": event, **fields}) + "\n")
    sys.stdout.flush()


def _command(*args):
    out = [b"*%d\r\n" % len(args)]
    for arg in args:
        out.append(b"$%d\r\n%s\r\n" % (len(arg), arg))
    return b"".join(out)


def _read_exactly(sock, size, what):
    data = bytearray()
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise RunFailed(f"{what}: the server closed the connection")
        data += chunk
    return bytes(data)


def _expect(sock, want, what):
    got = _read_exactly(sock, len(want), what)
    if got != want:
        raise RunFailed(f"{what}: expected {want!r}, got {got!r}")


def _connect(port):
    return socket.create_connection(("127.0.0.1", port), timeout=IO_TIMEOUT)


def _subscribe_all(port, count):
    conns = []
    while len(conns) < count:
        batch = [_connect(port) for _ in range(min(CONNECT_BATCH, count - len(conns)))]
        for sock in batch:
            sock.sendall(_command(b"SUBSCRIBE", CHANNEL))
        for sock in batch:
            _expect(sock, SUBSCRIBED, f"SUBSCRIBE on connection {len(conns)}")
            conns.append(sock)
    return conns


def _probe(control, conns, when):
    """One PUBLISH whose reply must count every subscriber, and which each must receive next:
    after the run, a benchmark message in its place is one more than was published."""
    control.sendall(_command(b"PUBLISH", CHANNEL, PROBE_PAYLOAD))
    _expect(control, b":%d\r\n" % len(conns), f"PUBLISH receivers {when}")
    for i, sock in enumerate(conns):
        got = _read_exactly(sock, len(PROBE_MESSAGE), f"probe {when} on connection {i}")
        if got == MESSAGE:
            raise RunFailed(f"connection {i} received more messages than were published")
        if got != PROBE_MESSAGE:
            raise RunFailed(f"probe {when} on connection {i}: got {got!r}")


def _drain(conns, messages, grace):
    """Reads every connection until each has `messages` messages; returns (seconds from the
    first byte to the last, CPU seconds this process spent meanwhile, reads)."""
    size, expected = len(MESSAGE), messages * len(MESSAGE)
    pattern = MESSAGE * (CHUNK // size + 2)
    buf = bytearray(CHUNK)
    view = memoryview(buf)
    received = [0] * len(conns)
    # epoll itself rather than selectors: with small writes from the server there is one
    # read per message or two, and the selectors layer would double the cost of each.
    poller = select.epoll()
    index_of = {}
    for i, sock in enumerate(conns):
        sock.setblocking(False)
        poller.register(sock.fileno(), select.EPOLLIN)
        index_of[sock.fileno()] = i
    stdin = sys.stdin.fileno()
    poller.register(stdin, select.EPOLLIN)
    open_conns = len(conns)
    deadline = time.monotonic() + LIFETIME
    first = cpu_first = None
    reads, ended = 0, False

    def failure(reason):
        got = sum(r // size for r in received)
        short = [i for i, r in enumerate(received) if r < expected]
        detail = (f"; {len(short)} of {len(conns)} subscribers short, first #{short[0]} with "
                  f"{received[short[0]] // size:,} of {messages:,}") if short else ""
        return RunFailed(f"{reason}: {got:,} of {messages * len(conns):,} messages "
                         f"delivered{detail}")

    try:
        while open_conns:
            left = deadline - time.monotonic()
            if left <= 0:
                raise failure(f"still short {grace:.0f} s after the publisher ended" if ended
                              else f"not done within {LIFETIME:.0f} s")
            round_bytes = round_reads = 0
            for fd, _ in poller.poll(min(left, 1.0), len(conns) + 1):
                if fd == stdin:
                    # The publisher has finished (or the driver has gone): a last grace period.
                    os.read(stdin, 4096)
                    poller.unregister(stdin)
                    deadline, ended = min(deadline, time.monotonic() + grace), True
                    continue
                i = index_of[fd]
                try:
                    n = conns[i].recv_into(buf)
                except BlockingIOError:
                    continue
                except OSError as e:
                    raise failure(f"connection {i}: {e}") from e
                if n == 0:
                    raise failure(f"connection {i} closed by the server after "
                                  f"{received[i] // size:,} messages "
                                  f"(client-output-buffer-limit pubsub?)")
                if first is None:
                    first, cpu_first = time.monotonic(), time.process_time()
                if received[i] + n > expected:
                    raise failure(f"connection {i} received more than {messages:,} messages")
                if not pattern.startswith(view[:n], received[i] % size):
                    raise failure(f"connection {i}: unexpected bytes after "
                                  f"{received[i] // size:,} messages")
                received[i] += n
                round_bytes += n
                round_reads += 1
                if received[i] == expected:
                    poller.unregister(fd)
                    open_conns -= 1
            if round_reads and round_bytes < NAP_BELOW * round_reads:
                time.sleep(NAP)
            reads += round_reads
        return time.monotonic() - first, time.process_time() - cpu_first, reads
    finally:
        poller.close()
        for sock in conns:
            sock.settimeout(IO_TIMEOUT)


def _numsub(control):
    control.sendall(_command(b"PUBSUB", b"NUMSUB", CHANNEL))
    _expect(control, NUMSUB_HEAD, "PUBSUB NUMSUB")
    digits = b""
    while not digits.endswith(b"\r\n"):
        digits += _read_exactly(control, 1, "PUBSUB NUMSUB")
        if len(digits) > 24:
            raise RunFailed(f"PUBSUB NUMSUB: no integer: {digits!r}")
    return int(digits)


def _wait_unsubscribed(control):
    deadline = time.monotonic() + UNSUBSCRIBE_TIMEOUT
    while (count := _numsub(control)) != 0:
        if time.monotonic() > deadline:
            raise RunFailed(f"{count} subscribers still counted {UNSUBSCRIBE_TIMEOUT:.0f} s "
                            f"after closing")
        time.sleep(0.01)


def _run(port, subscribers, messages, grace):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    needed = subscribers + 64
    if soft != resource.RLIM_INFINITY and soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(needed, hard), hard))
    conns = []
    with _connect(port) as control:
        try:
            conns = _subscribe_all(port, subscribers)
            if (count := _numsub(control)) != subscribers:
                raise RunFailed(f"PUBSUB NUMSUB counts {count} subscribers, not {subscribers}")
            _probe(control, conns, "before the run")
            _emit("ready")
            seconds, cpu, reads = _drain(conns, messages, grace)
            _emit("delivered", messages=messages * subscribers, seconds=seconds,
                  cpu_seconds=cpu, reads=reads)
            _probe(control, conns, "after the run")
        finally:
            for sock in conns:
                sock.close()
        _wait_unsubscribed(control)
    _emit("closed")


def main(argv):
    parser = argparse.ArgumentParser(description="subscriber process of tools/bench_pubsub.py")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--subscribers", type=int, required=True)
    parser.add_argument("--messages", type=int, required=True, help="per subscriber")
    parser.add_argument("--grace", type=float, default=GRACE,
                        help="seconds to wait for the rest once stdin says the publisher ended")
    opts = parser.parse_args(argv)
    try:
        _run(opts.port, opts.subscribers, opts.messages, opts.grace)
    except (RunFailed, OSError) as e:
        _emit("failed", error=str(e) or type(e).__name__)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
