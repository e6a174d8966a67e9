#!/usr/bin/env python3
"""Generates server/families/<group>/<group>_docs.cc: the argument structure and key
specifications of each command Ember implements, read from the reference redis-server 7.0.

Which commands exist and which family (folder) each belongs to comes from Ember itself: the
script starts the built ember-server and asks it (COMMAND DOCS reports each command's group,
which is its family's folder), so the family list in server/families/families.cc stays the
one place that says it. Only the interface is taken from the reference (argument names,
types, tokens, flags, key specifications, tips, doc flags). Prose (complexity, notes) is
Ember's own, from the tables below; summaries and `since` live in the command rows.

Usage: tools/gen_command_docs.py [--ember build/bin/ember-server] [--redis /usr/bin/redis-check-rdb]
Both servers are started on free loopback ports and stopped afterwards. Build first
(tools/test or cmake --build build), then run it, then rebuild.
"""
import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

GEO_SEARCH_COMPLEXITY = ("O(N+log(M)), N the members in the (at most nine) geohash cells "
                         "scanned around the area, M the size of the sorted set.")

# Ember's own wording for the complexity of each command; anything not listed is O(1).
COMPLEXITY = {
    "geoadd": "O(log(N)) per member added or updated; O(N) per member while packed.",
    "geodist": "O(1); O(N) while packed.",
    "geohash": "O(1) per member asked for; O(N) per member while packed.",
    "geopos": "O(1) per member asked for; O(N) per member while packed.",
    "georadius": GEO_SEARCH_COMPLEXITY,
    "georadius_ro": GEO_SEARCH_COMPLEXITY,
    "georadiusbymember": GEO_SEARCH_COMPLEXITY,
    "georadiusbymember_ro": GEO_SEARCH_COMPLEXITY,
    "geosearch": GEO_SEARCH_COMPLEXITY,
    "geosearchstore": GEO_SEARCH_COMPLEXITY,
    "bzmpop": "O(K) + O(M*log(N)), K the number of keys given, M the members popped.",
    "bzpopmax": "O(K) + O(log(N)), K being the number of keys given.",
    "bzpopmin": "O(K) + O(log(N)), K being the number of keys given.",
    "zadd": "O(log(N)) per member added or updated; O(N) per member while packed.",
    "zcount": "O(log(N)); O(N) while packed.",
    "zincrby": "O(log(N)); O(N) while packed.",
    "zlexcount": "O(log(N)); O(N) while packed.",
    "zmpop": "O(K) + O(M*log(N)), K the number of keys given, M the members popped.",
    "zmscore": "O(N), N being the number of members asked for.",
    "zpopmax": "O(M*log(N)), M being the number of members popped.",
    "zpopmin": "O(M*log(N)), M being the number of members popped.",
    "zrange": "O(log(N)+M), M being the number of members returned.",
    "zrangebylex": "O(log(N)+M), M being the number of members returned.",
    "zrangebyscore": "O(log(N)+M), M being the number of members returned.",
    "zrangestore": "O(log(N)+M), M being the number of members stored.",
    "zrandmember": "O(M*log(N)), M being the number of members returned.",
    "zunion": "O(N)+O(M*log(M)), N the sum of the inputs' sizes, M the result's size.",
    "zunionstore": "O(N)+O(M*log(M)), N the sum of the inputs' sizes, M the result's size.",
    "zinter": "O(N*K)+O(M*log(M)), N the smallest input's size, K the inputs, M the result's size.",
    "zinterstore": "O(N*K)+O(M*log(M)), N the smallest input's size, K the inputs, M the result's size.",
    "zintercard": "O(N*K), N the smallest input's size, K the number of inputs.",
    "zdiff": "O(N*K)+O(M*log(M)), N the first input's size, K the inputs, M the result's size.",
    "zdiffstore": "O(N*K)+O(M*log(M)), N the first input's size, K the inputs, M the result's size.",
    "zscan": "O(1) for every call, O(N) for a complete iteration.",
    "zrank": "O(log(N)); O(N) while packed.",
    "subscribe": "O(N), N being the number of channels to subscribe to.",
    "unsubscribe": "O(N*M), N the channels left, M the subscribers of each.",
    "psubscribe": "O(N*P), N the patterns given, P the patterns the client already has.",
    "punsubscribe": "O(N*(P+M)), N the patterns left, P the client's, M their subscribers.",
    "ssubscribe": "O(N), N being the number of shard channels to subscribe to.",
    "sunsubscribe": "O(N*M), N the shard channels left, M the subscribers of each.",
    "publish": "O(N+M), N the channel's subscribers, M the patterns subscribed by anyone.",
    "spublish": "O(N), N being the shard channel's subscribers.",
    "pubsub|channels": "O(N), N being the number of active channels.",
    "pubsub|shardchannels": "O(N), N being the number of active shard channels.",
    "pubsub|numsub": "O(N), N being the number of channels asked for.",
    "pubsub|shardnumsub": "O(N), N being the number of shard channels asked for.",
    "zrem": "O(M*log(N)), M being the number of members removed.",
    "zremrangebylex": "O(M*log(N)), M being the number of members removed.",
    "zremrangebyrank": "O(M*log(N)), M being the number of members removed.",
    "zremrangebyscore": "O(M*log(N)), M being the number of members removed.",
    "zrevrange": "O(log(N)+M), M being the number of members returned.",
    "zrevrangebylex": "O(log(N)+M), M being the number of members returned.",
    "zrevrangebyscore": "O(log(N)+M), M being the number of members returned.",
    "zrevrank": "O(log(N)); O(N) while packed.",
    "zscore": "O(1); O(N) while packed.",
    "mset": "O(N), N being the number of keys set.",
    "msetnx": "O(N), N being the number of keys set.",
    "mget": "O(N), N being the number of keys read.",
    "getrange": "O(N), N being the length of the returned substring.",
    "substr": "O(N), N being the length of the returned substring.",
    "setrange": "O(1), plus the cost of copying the value when it grows.",
    "lcs": "O(N*M), N and M being the lengths of the two strings.",
    "lpush": "O(N), N being the number of elements pushed.",
    "rpush": "O(N), N being the number of elements pushed.",
    "lpushx": "O(N), N being the number of elements pushed.",
    "rpushx": "O(N), N being the number of elements pushed.",
    "lpop": "O(N), N being the number of elements popped.",
    "rpop": "O(N), N being the number of elements popped.",
    "lindex": "O(N/S + S), S being the node size, N the distance from the nearer end.",
    "lrange": "O(N/S + M), S being the node size, N the start's distance from the nearer end, M the elements returned.",
    "lmpop": "O(N+M), N being the number of keys given, M the number of elements popped.",
    "lset": "O(N/S + S), S being the node size, N the distance from the nearer end.",
    "linsert": "O(N), N being the number of elements before the pivot.",
    "ltrim": "O(N), N being the number of elements removed.",
    "lrem": "O(N), N being the length of the list.",
    "lpos": "O(N), N being the number of elements compared.",
    "blpop": "O(N), N being the number of keys given.",
    "brpop": "O(N), N being the number of keys given.",
    "blmpop": "O(N+M), N being the number of keys given, M the number of elements popped.",
    "hset": "O(N), N being the number of fields set.",
    "hmset": "O(N), N being the number of fields set.",
    "hmget": "O(N), N being the number of fields read.",
    "hdel": "O(N), N being the number of fields removed.",
    "hkeys": "O(N), N being the number of fields in the hash.",
    "hvals": "O(N), N being the number of fields in the hash.",
    "hgetall": "O(N), N being the number of fields in the hash.",
    "hrandfield": "O(N), N being the number of fields returned.",
    "hscan": "O(1) per call; O(N) over a full iteration.",
    "del": "O(N), N being the number of keys removed.",
    "unlink": "O(1) per key; memory is reclaimed later.",
    "exists": "O(N), N being the number of keys named.",
    "touch": "O(N), N being the number of keys named.",
    "keys": "O(N), N being the number of keys in the database.",
    "scan": "O(1) per call; O(N) over a full iteration.",
    "copy": "O(N), N being the size of the copied value.",
    "dump": "O(1) to find the key; O(N) to serialize a value of N elements.",
    "restore": "O(1) to create the key; O(N) to decode a value of N elements.",
    "swapdb": "O(N), N being the number of clients watching keys of either database.",
    "flushdb": "O(N), N being the number of keys in the database.",
    "flushall": "O(N), N being the number of keys in all databases.",
    "info": "O(1)",
    "shutdown": "O(N), N being the number of keys to save when saving.",
    "command": "O(N), N being the number of commands.",
    "command|docs": "O(N), N being the number of commands described.",
    "command|info": "O(N), N being the number of commands described.",
    "command|list": "O(N), N being the number of commands.",
    "command|getkeys": "O(N), N being the number of arguments.",
    "command|getkeysandflags": "O(N), N being the number of arguments.",
    "config|get": "O(N), N being the number of parameters requested.",
    "config|set": "O(N), N being the number of parameters set.",
    "memory|usage": "O(N), N being the number of sampled elements.",
    "slowlog|get": "O(N), N being the number of entries returned.",
    "slowlog|reset": "O(N), N being the number of entries in the log.",
    "function|flush": "O(N), N being the number of functions deleted.",
    "script|flush": "O(N), N being the number of scripts in the cache.",
    "watch": "O(1) per key.",
    "exec": "The sum of the complexities of the queued commands.",
    "save": "O(N), N being the total number of keys.",
    "bgsave": "O(1) to start; the child does O(N) work.",
    "bgrewriteaof": "O(1) to start; the child does O(N) work.",
    "client|list": "O(N), N being the number of clients.",
    "client|kill": "O(N), N being the number of clients.",
    "sadd": "O(1) per member added.",
    "srem": "O(1) per member removed.",
    "smismember": "O(N), N being the number of members asked about.",
    "smembers": "O(N), N being the size of the set.",
    "srandmember": "O(1) without a count, O(N) with one, N being the count.",
    "spop": "O(1) without a count, O(N) with one, N being the count.",
    "sinter": "O(N*M), N being the size of the smallest set and M the number of sets.",
    "sintercard": "O(N*M), N being the size of the smallest set and M the number of sets.",
    "sinterstore": "O(N*M), N being the size of the smallest set and M the number of sets.",
    "sunion": "O(N), N being the total number of members of the sets.",
    "sunionstore": "O(N), N being the total number of members of the sets.",
    "sdiff": "O(N), N being the total number of members of the sets.",
    "sdiffstore": "O(N), N being the total number of members of the sets.",
    "sscan": "O(1) per call; O(N) for a complete iteration.",
    "setbit": "O(1), plus the cost of zero-filling the string when it grows.",
    "bitcount": "O(N), N being the number of bytes counted, a word at a time.",
    "bitpos": "O(N), N being the number of bytes searched, a word at a time.",
    "bitop": "O(N), N being the length of the longest input string.",
    "bitfield": "O(1) per operation, plus the cost of zero-filling the string when it grows.",
    "bitfield_ro": "O(1) per operation.",
    "pfadd": "O(1) per element added.",
    "pfcount": "O(1) for one key with its cached count; O(N) otherwise, N the keys, each 16384 registers read.",
    "pfmerge": "O(N), N the keys merged, each 16384 registers read.",
    "pfdebug": "O(1), or O(16384) to list or convert the registers.",
    "pfselftest": "About ten million register updates and estimates.",
    "sort": "O(N+M*log(M)), N the elements of the key, M those sorted; O(N) with BY nosort.",
    "sort_ro": "O(N+M*log(M)), N the elements of the key, M those sorted; O(N) with BY nosort.",
}

# Ember's wording for key-specification notes, by command and spec index.
NOTES = {
    ("set", 0): "Writes the key; also reads it when GET is given.",
    ("getex", 0): "Reads the key and may change its TTL.",
    ("eval", 0): "A script may do anything with its keys: taken as read, written and updated.",
    ("evalsha", 0): "A script may do anything with its keys: taken as read, written and updated.",
    ("eval_ro", 0): "A read-only script may read its keys in any way: taken as read.",
    ("evalsha_ro", 0): "A read-only script may read its keys in any way: taken as read.",
    ("fcall", 0): "A function may do anything with its keys: taken as read, written and updated.",
    ("fcall_ro", 0): "A read-only function may read its keys in any way: taken as read.",
    ("bitfield", 0): "Reads the key, and writes it when a SET or INCRBY is given.",
    ("pfcount", 0): "Writes the key too: its cached cardinality, which is then propagated.",
    ("sort", 1): "BY and GET read keys named after the sorted elements, not found in the arguments.",
    ("sort", 2): "STORE's destination, which may come anywhere among the options.",
    ("sort_ro", 1): "BY and GET read keys named after the sorted elements, not found in the arguments.",
    ("xadd", 0): "Updates the stream: an entry is inserted, and trimming may delete others.",
}


def read_reply(f):
    line = f.readline()
    if not line:
        raise EOFError
    kind, body = line[:1], line[1:-2].decode()
    if kind in (b"+", b"("):
        return body
    if kind == b"-":
        raise RuntimeError(body)
    if kind == b":":
        return int(body)
    if kind in (b"$", b"="):
        n = int(body)
        if n < 0:
            return None
        data = f.read(n + 2)[:-2].decode()
        return data[4:] if kind == b"=" else data
    if kind == b"_":
        return None
    if kind == b"#":
        return body == "t"
    if kind in (b"*", b"~", b">"):
        n = int(body)
        return None if n < 0 else [read_reply(f) for _ in range(n)]
    if kind == b"%":
        n = int(body)
        out = {}
        for _ in range(n):
            k = read_reply(f)
            out[k] = read_reply(f)
        return out
    raise RuntimeError("unexpected reply type %r" % kind)


def command(sock, f, *args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        a = a.encode()
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    sock.sendall(out)
    return read_reply(f)


def cident(name):
    return "".join(ch if ch.isalnum() else "_" for ch in name)


def cstr(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


ARG_TYPES = {
    "string": "kString", "integer": "kInteger", "double": "kDouble", "key": "kKey",
    "pattern": "kPattern", "unix-time": "kUnixTime", "pure-token": "kPureToken",
    "oneof": "kOneOf", "block": "kBlock",
}


class Emitter:
    def __init__(self):
        self.lines = []

    def args(self, prefix, args):
        """Emits arrays for `args` (children first); returns the array's C++ name."""
        entries = []
        for i, a in enumerate(args):
            sub = "{}"
            if a.get("arguments"):
                sub = self.args("%s_%d" % (prefix, i), a["arguments"])
            flags = []
            for flag in a.get("flags", []):
                flags.append({"optional": "kArgOptional", "multiple": "kArgMultiple",
                              "multiple_token": "kArgMultipleToken"}[flag])
            fields = [".name = %s" % cstr(a["name"]), ".type = ArgType::%s" % ARG_TYPES[a["type"]]]
            if a.get("token"):
                fields.append(".token = %s" % cstr(a["token"]))
            if flags:
                fields.append(".flags = %s" % " | ".join(flags))
            if "key_spec_index" in a:
                fields.append(".key_spec_index = %d" % a["key_spec_index"])
            if a.get("since"):
                fields.append(".since = %s" % cstr(a["since"]))
            if a.get("deprecated_since"):
                fields.append(".deprecated_since = %s" % cstr(a["deprecated_since"]))
            if sub != "{}":
                fields.append(".args = %s" % sub)
            entries.append("    {%s}," % ", ".join(fields))
        name = "kArgs_%s" % prefix
        self.lines.append("constexpr CommandArg %s[] = {" % name)
        self.lines.extend(entries)
        self.lines.append("};")
        return name

    def key_specs(self, cmd, specs):
        if not specs:
            return "{}"
        entries = []
        for i, s in enumerate(specs):
            bs, fk = s["begin_search"], s["find_keys"]
            begin = {"index": "kIndex", "keyword": "kKeyword", "unknown": "kUnknown"}[bs["type"]]
            find = {"range": "kRange", "keynum": "kKeynum", "unknown": "kUnknown"}[fk["type"]]
            bspec, fspec = bs.get("spec", {}), fk.get("spec", {})
            if s.get("notes"):
                print("note on %s[%d]: %s" % (cmd, i, s["notes"]), file=sys.stderr)
            fields = []
            if NOTES.get((cmd, i)):
                fields.append(".notes = %s" % cstr(NOTES[(cmd, i)]))
            fields.append(".flags = %s" % cstr(" ".join(s.get("flags", []))))
            if begin == "kIndex":
                fields.append(".begin = BeginSearch::kIndex, .index = %d" % bspec["index"])
            elif begin == "kKeyword":
                fields.append(".begin = BeginSearch::kKeyword, .keyword = %s, .startfrom = %d"
                              % (cstr(bspec["keyword"]), bspec["startfrom"]))
            else:
                fields.append(".begin = BeginSearch::kUnknown")
            if find == "kRange":
                fields.append(".find = FindKeys::kRange, .lastkey = %d, .keystep = %d, .limit = %d"
                              % (fspec["lastkey"], fspec["keystep"], fspec["limit"]))
            elif find == "kKeynum":
                fields.append(".find = FindKeys::kKeynum, .keynumidx = %d, .firstkey = %d, .step = %d"
                              % (fspec["keynumidx"], fspec["firstkey"],
                                 fspec.get("keystep", fspec.get("step"))))
            else:
                fields.append(".find = FindKeys::kUnknown")
            entries.append("    {%s}," % ", ".join(fields))
        name = "kKeySpecs_%s" % cident(cmd)
        self.lines.append("constexpr KeySpec %s[] = {" % name)
        self.lines.extend(entries)
        self.lines.append("};")
        return name


def tips_of(info):
    return " ".join(info[7]) if info and len(info) > 7 and info[7] else ""


def key_specs_of(info):
    return info[8] if info and len(info) > 8 and info[8] else []


def collect(name, docs, info, out):
    """Appends (fullname, docs, info) for a command and its subcommands to `out`."""
    out.append((name, docs, info))
    sub_infos = {i[0]: i for i in (info[9] or [])} if info else {}
    # Sorted: the reference lists subcommands in its hash order, which changes per process.
    for sub_name, sub_docs in sorted((docs.get("subcommands") or {}).items()):
        collect_sub = sub_infos.get(sub_name)
        out.append((sub_name, sub_docs, collect_sub))


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(argv0, binary, extra, workdir):
    """Starts a server on a free loopback port; returns (process, port) once it answers."""
    port = free_port()
    args = [argv0, "--port", str(port), "--bind", "127.0.0.1", "--save", ""] + extra
    proc = subprocess.Popen(args, executable=binary, cwd=workdir, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return proc, port
        except OSError:
            time.sleep(0.05)
    proc.kill()
    sys.exit("%s did not start on port %d" % (binary, port))


def connect(port):
    sock = socket.create_connection(("127.0.0.1", port))
    f = sock.makefile("rb")
    command(sock, f, "HELLO", "3")
    return sock, f


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ember", default=os.path.join(ROOT, "build", "bin", "ember-server"))
    parser.add_argument("--redis", default=shutil.which("redis-check-rdb") or "redis-check-rdb",
                        help="the reference redis-server 7.0 binary (Debian ships it as "
                             "redis-check-rdb; it runs as a server when argv[0] is redis-server)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        ember, ember_port = start_server("ember-server", options.ember, ["--http-port", "0"],
                                         workdir)
        redis, redis_port = start_server("redis-server", options.redis, ["--appendonly", "no"],
                                         workdir)
        try:
            ember_sock, ember_f = connect(ember_port)
            groups = {name: docs["group"]
                      for name, docs in command(ember_sock, ember_f, "COMMAND", "DOCS").items()}
            sock, f = connect(redis_port)
            per_family = {}
            for name in sorted(groups):
                reference = command(sock, f, "COMMAND", "DOCS", name)
                if name not in reference:
                    print("skipped %s: the reference does not know it" % name, file=sys.stderr)
                    continue
                info = command(sock, f, "COMMAND", "INFO", name)[0]
                collect(name, reference[name], info, per_family.setdefault(groups[name], []))
        finally:
            ember.terminate()
            redis.terminate()
            ember.wait()
            redis.wait()
    for family, entries in per_family.items():
        folder, _ = FAMILY_NAMES.get(family, (family, None))
        write_family(os.path.join(ROOT, "server", "families", folder), family, entries)


# Groups whose name is not a C++ identifier: the folder and the <Title>CommandDocs function.
FAMILY_NAMES = {"sorted-set": ("zset", "ZSet"), "pubsub": ("pubsub", "PubSub"),
                "hyperloglog": ("hyperloglog", "HyperLogLog")}


def write_family(root, family, entries):
    em = Emitter()
    rows = []
    for fullname, docs, info in entries:
        ident = cident(fullname)
        args = em.args(ident, docs["arguments"]) if docs.get("arguments") else "{}"
        specs = em.key_specs(fullname, key_specs_of(info))
        default = "O(1)" if not docs.get("subcommands") else "Depends on the subcommand."
        fields = [".name = %s" % cstr(fullname),
                  ".complexity = %s" % cstr(COMPLEXITY.get(fullname, default))]
        if docs.get("doc_flags"):
            fields.append(".doc_flags = %s" % cstr(" ".join(docs["doc_flags"])))
        if docs.get("deprecated_since"):
            fields.append(".deprecated_since = %s" % cstr(docs["deprecated_since"]))
        if docs.get("replaced_by"):
            fields.append(".replaced_by = %s" % cstr(docs["replaced_by"]))
        if tips_of(info):
            fields.append(".tips = %s" % cstr(tips_of(info)))
        if specs != "{}":
            fields.append(".key_specs = %s" % specs)
        if args != "{}":
            fields.append(".args = %s" % args)
        rows.append("    {%s}," % ", ".join(fields))
    folder, title = FAMILY_NAMES.get(family, (family, family.capitalize()))
    text = [
        "// Generated by tools/gen_command_docs.py from a reference redis-server 7.0: argument",
        "// structure and key specifications of the %s family's commands (see" % family,
        "// server/command/command_docs.h). Regenerate rather than edit by hand.",
        '#include <span>',
        "",
        '#include "server/command/command_docs.h"',
        "",
        "namespace ember::server {",
        "namespace {",
        "",
        "// clang-format off",
    ] + em.lines + [
        "",
        "constexpr CommandDocs kDocs[] = {",
    ] + rows + [
        "};",
        "// clang-format on",
        "",
        "}  // namespace",
        "",
        "std::span<const CommandDocs> %sCommandDocs() { return kDocs; }" % title,
        "",
        "}  // namespace ember::server",
        "",
    ]
    os.makedirs(root, exist_ok=True)
    with open(os.path.join(root, "%s_docs.cc" % folder), "w") as out:
        out.write("\n".join(text))


if __name__ == "__main__":
    main()
