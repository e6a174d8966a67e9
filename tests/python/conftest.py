"""Fixtures of the embedded-engine suite: the module under test, and real servers beside it.

ctest sets PYTHONPATH to <build>/python (the assembled `ember` package) and EMBER_SERVER_BIN;
run by hand: `tools/python` prints the PYTHONPATH, then
`EMBER_SERVER_BIN=build/bin/ember-server python3 -m pytest tests/python`.
A missing dependency fails the test with what to install; nothing is skipped.
"""

import os
import socket
import subprocess
import time

import pytest


def _require(module, package):
    try:
        return __import__(module)
    except ImportError:
        pytest.fail(f"{module} is not importable: run tools/test, or apt-get install {package}")


@pytest.fixture(scope="session")
def redis_py():
    return _require("redis", "python3-redis")


@pytest.fixture(scope="session")
def fakeredis_module():
    return _require("fakeredis", "python3-fakeredis")


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ServerProcess:
    """A server binary on a loopback port in its own directory; stopped by PID."""

    def __init__(self, argv0, executable, workdir, extra_args=()):
        self.port = free_port()
        self.dir = str(workdir)
        args = [argv0, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", self.dir,
                *extra_args]
        self.process = subprocess.Popen(args, executable=executable, cwd=self.dir,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{argv0} exited with {self.process.returncode} at startup")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(64).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"{argv0} did not answer PING on port {self.port}")

    def client(self, **kwargs):
        import redis
        return redis.Redis(host="127.0.0.1", port=self.port, **kwargs)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def ember_server_binary():
    path = os.environ.get("EMBER_SERVER_BIN")
    if not path or not os.access(path, os.X_OK):
        pytest.fail("EMBER_SERVER_BIN must name the built ember-server: run through ctest "
                    "(tools/test), or export it")
    return path


def redis_server_binary():
    # Debian's redis-tools ships redis-check-rdb, which is the full server binary: started
    # under the name redis-server it runs as one.
    for candidate in ("/usr/bin/redis-server", "/usr/bin/redis-check-rdb"):
        if os.access(candidate, os.X_OK):
            return candidate
    pytest.fail("no reference redis-server (/usr/bin/redis-server or /usr/bin/redis-check-rdb): "
                "run tools/test, or apt-get install redis-tools")


def _server_starter(tmp_path, prefix, argv0, binary, default_args):
    """A start(dir=None, *args) function and the servers it started."""
    started = []

    def start(workdir=None, *extra):
        workdir = workdir or tmp_path / f"{prefix}{len(started)}"
        os.makedirs(workdir, exist_ok=True)
        server = ServerProcess(argv0, binary(), workdir, (*default_args, *extra))
        started.append(server)
        return server

    return start, started


@pytest.fixture
def start_ember(tmp_path):
    """start_ember(dir=None, *args): an ember-server in `dir` (a fresh one by default)."""
    start, started = _server_starter(tmp_path, "ember", "ember-server", ember_server_binary,
                                     ("--http-port", "0", "--save", ""))
    yield start
    for server in started:
        server.stop()


@pytest.fixture
def start_redis(tmp_path):
    """start_redis(dir=None, *args): the reference redis-server 7.0 in `dir`."""
    start, started = _server_starter(tmp_path, "redis", "redis-server", redis_server_binary,
                                     ("--save", "", "--appendonly", "no"))
    yield start
    for server in started:
        server.stop()
