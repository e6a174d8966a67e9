"""Server processes and plumbing shared by the tools/bench modes (bench.py and the
bench_*.py scripts): a server on a free loopback port, stopped by PID; a minimal RESP client;
the exit status and JSON output of a mode. Standard library only.
"""

import argparse
import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import time

PORT_RANGE = range(7680, 7700)


class BenchError(Exception):
    """A failure worth a clear one-line message (bad setup, server died, tool failed)."""


# A minimal RESP client for PING, INFO and FLUSHALL.
def resp_command(port, *args, timeout=30.0):
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        out = f"*{len(args)}\r\n".encode()
        for arg in args:
            data = arg.encode() if isinstance(arg, str) else arg
            out += b"$%d\r\n%s\r\n" % (len(data), data)
        sock.sendall(out)
        reader = sock.makefile("rb")
        line = reader.readline()
        if not line:
            raise BenchError(f"port {port}: connection closed")
        kind, rest = line[:1], line[1:].rstrip(b"\r\n")
        if kind == b"$":
            n = int(rest)
            return None if n < 0 else reader.read(n + 2)[:n].decode()
        if kind == b"-":
            raise BenchError(f"port {port}: {rest.decode()}")
        return rest.decode()


def vm_rss_bytes(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise BenchError(f"pid {pid}: no VmRSS")


# ---------------------------------------------------------------------------------------------
_PR_SET_PDEATHSIG = 1


def child_setup(cpu=None):
    """A preexec_fn: the child gets SIGTERM if this script dies (even by SIGKILL), so no server
    or redis-benchmark outlives it; with `cpu`, the child is pinned to that CPU."""
    libc = ctypes.CDLL(None, use_errno=True)

    def setup():
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        if cpu is not None:
            os.sched_setaffinity(0, {cpu})

    return setup


class Server:
    """One server process on a free loopback port; stopped by PID."""

    def __init__(self, name, argv, executable, workdir, pin_cpu):
        self.name, self.argv, self.executable = name, argv, executable
        self.workdir, self.pin_cpu = workdir, pin_cpu
        self.proc, self.port = None, None
        self.log = os.path.join(workdir, f"{name}.log")

    def start(self, extra_args=()):
        self.port = free_port()
        argv = [a.replace("{PORT}", str(self.port)) for a in self.argv] + list(extra_args)
        try:
            with open(self.log, "ab") as log:
                self.proc = subprocess.Popen(argv, executable=self.executable, cwd=self.workdir,
                                             stdout=log, stderr=subprocess.STDOUT,
                                             stdin=subprocess.DEVNULL,
                                             preexec_fn=child_setup(self.pin_cpu))
        except OSError as e:
            raise BenchError(f"cannot start {self.name} ({self.executable}): {e}") from e
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BenchError(f"{self.name} exited at startup (status {self.proc.returncode}):"
                                 f"\n{self.tail_log()}")
            try:
                if resp_command(self.port, "PING", timeout=1) == "PONG":
                    return
            except (OSError, BenchError):
                pass
            time.sleep(0.05)
        raise BenchError(f"{self.name} did not answer PING on port {self.port}")

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def tail_log(self):
        try:
            with open(self.log, errors="replace") as f:
                return "".join(f.readlines()[-10:])
        except OSError:
            return ""


def mode_options(doc, default_rounds, pin=False):
    """The command line every bench mode script takes: --ember, --out, --rounds (and --pin)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--ember", required=True, help="ember-server binary")
    parser.add_argument("--out", required=True, help="directory for the results")
    parser.add_argument("--rounds", type=int, default=default_rounds)
    if pin:
        parser.add_argument("--pin", action="store_true")
    return parser.parse_args()


def run_guarded(body, cleanup):
    """The exit status of a bench mode: runs body(), turning a BenchError or an interrupt
    (SIGINT, SIGTERM, SIGHUP) into a one-line message and status 1 or 130; cleanup() runs
    last in every case."""
    def interrupt(*_):
        raise KeyboardInterrupt

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, interrupt)
    try:
        body()
    except BenchError as e:
        print(f"bench: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("bench: interrupted", file=sys.stderr)
        return 130
    finally:
        cleanup()
    return 0


def write_json(out_dir, prefix, results):
    """Writes results to out_dir/<prefix>-<time>.json, says where and returns the path."""
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, f"{prefix}-{time.strftime('%Y%m%d-%H%M%S')}.json")
    with open(path, "w") as f:
        json.dump(results, f, indent=2)
    print(f"wrote {path}")
    return path


def free_port():
    for port in PORT_RANGE:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    raise BenchError(f"no free port in {PORT_RANGE.start}..{PORT_RANGE.stop - 1}")


