#!/usr/bin/env python3
"""EVALSHA rows for tools/bench: a script of one redis.call and one of ten, run by SHA over
the same preloaded string keys the GET rows read, unpipelined and at pipeline 16.

The scripts are loaded (SCRIPT LOAD) into both servers before their rows run; the SHA in each
request is computed here and must be the one the server answers, or the run fails. What the
rows measure is a script's fixed cost (interpreter entry, KEYS/ARGV, the result's conversion)
and the cost per redis.call (argument collection, the command's reply read back into Lua).
"""

import hashlib

ONE_CALL = "return redis.call('GET', KEYS[1])"
TEN_CALLS = ("local v for i = 1, 10 do v = redis.call('GET', KEYS[1]) end return v")


def sha1_hex(body):
    return hashlib.sha1(body.encode()).hexdigest()


def script_cases(keyspace, value_size):
    """Rows named EVALSHA(1 call) / EVALSHA(10 calls) at P1 and P16; each case carries the
    script bodies to load under "scripts"."""
    cases = []
    for label, body in (("1 call", ONE_CALL), ("10 calls", TEN_CALLS)):
        for pipeline, requests in ((1, 150_000), (16, 500_000)):
            args = ["-c", "50", "-P", str(pipeline), "-r", str(keyspace), "-n", str(requests),
                    "EVALSHA", sha1_hex(body), "1", "key:__rand_int__"]
            cases.append({"name": f"EVALSHA({label}) P{pipeline}", "runs": [args],
                          "preload": value_size, "scripts": [body]})
    return cases


def load_scripts(resp_command, port, bodies, error):
    """SCRIPT LOAD of each body on the server at `port`; raises `error` on a SHA mismatch."""
    for body in bodies:
        answer = resp_command(port, "SCRIPT", "LOAD", body)
        answer = answer.decode() if isinstance(answer, bytes) else str(answer)
        if answer != sha1_hex(body):
            raise error(f"SCRIPT LOAD answered {answer!r}, expected {sha1_hex(body)}")
