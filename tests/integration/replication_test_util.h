// Helpers for the replication tests, with Ember or Debian's redis-server 7.0 on either side of
// a link on loopback: starting primaries and replicas, INFO fields, bounded polls for a
// replica's link, for the stream to settle (the replica's applied offset reaching the
// primary's) and for a partial resynchronization, a guard that freezes a server (SIGSTOP
// until it is destroyed), a dataset of every type in several databases, and a per-key
// fingerprint of a dataset read over the wire (type, expiry, DEBUG DIGEST-VALUE, a stream's
// groups) for comparing two servers.
//
// Every function talks to the servers through the client it is given, on the calling thread;
// the readers leave the connection in database 0.
#pragma once

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "tests/integration/rdb_test_util.h"
#include "tests/support/redis_client.h"
#include "tests/support/server_fixture.h"
#include "tests/support/server_process.h"

namespace ember::test::repl {

using Argv = std::vector<std::string>;

enum class Server { kEmber, kRedis };

inline Argv Concat(Argv first, const Argv& second) {
  first.insert(first.end(), second.begin(), second.end());
  return first;
}

// Ember or the reference redis-server, started with `args`.
inline ServerProcess StartServer(Server server, const Argv& args) {
  return server == Server::kEmber ? ServerProcess::StartEmber(args)
                                  : ServerProcess::StartReference(args);
}

// A primary whose diskless syncs start at once, with DEBUG allowed.
inline ServerProcess StartPrimary(Server server, const Argv& extra = {}) {
  return StartServer(
      server, Concat({"--repl-diskless-sync-delay", "0", "--enable-debug-command", "yes"}, extra));
}

// A replica of 127.0.0.1:`primary_port` (the replicaof setting), with DEBUG allowed.
inline ServerProcess StartReplica(Server server, int primary_port, const Argv& extra = {}) {
  return StartServer(server, Concat({"--replicaof", "127.0.0.1", std::to_string(primary_port),
                                     "--enable-debug-command", "yes"},
                                    extra));
}

// The value of `field` in INFO `section`, or "" when absent.
inline std::string InfoField(RedisClient& client, const std::string& section,
                             const std::string& field) {
  return test::InfoField(client.Command({"INFO", section}).str, field);
}

// The field as a number; -1000 when absent (distinct from every value Redis prints).
inline long long InfoInt(RedisClient& client, const std::string& section,
                         const std::string& field) {
  const std::string value = InfoField(client, section, field);
  return value.empty() ? -1000 : std::stoll(value);
}

// The names of INFO `section`'s fields, in order.
inline std::vector<std::string> InfoFieldNames(RedisClient& client, const std::string& section) {
  std::vector<std::string> names;
  for (const auto& [name, value] : ParseInfo(client.Command({"INFO", section}).str)) {
    names.push_back(name);
  }
  return names;
}

// Calls `condition` until it holds, for up to 10 s; true once it holds.
inline bool PollUntil(const std::function<bool()>& condition) {
  return WaitFor(condition, std::chrono::seconds(10));
}

// The replica finished its synchronization and its link is up.
inline bool LinkUp(RedisClient& replica) {
  const std::string info = replica.Command({"INFO", "replication"}).str;
  return info.find("master_link_status:up") != std::string::npos &&
         info.find("master_sync_in_progress:0") != std::string::npos;
}

inline void WaitForLinkUp(RedisClient& replica) {
  ASSERT_TRUE(PollUntil([&] { return LinkUp(replica); }))
      << replica.Command({"INFO", "replication"}).str;
}

inline void WaitForLinkDown(RedisClient& replica) {
  ASSERT_TRUE(PollUntil([&] {
    return InfoField(replica, "replication", "master_link_status") == "down";
  })) << replica.Command({"INFO", "replication"}).str;
}

// Waits until the replica's link is up and it applied the whole stream: its
// slave_repl_offset equals the primary's master_repl_offset.
inline void WaitForSettled(RedisClient& primary, RedisClient& replica) {
  ASSERT_TRUE(PollUntil([&] {
    const long long target = InfoInt(primary, "replication", "master_repl_offset");
    return LinkUp(replica) && InfoInt(replica, "replication", "slave_repl_offset") == target;
  })) << "primary:\n"
      << primary.Command({"INFO", "replication"}).str << "replica:\n"
      << replica.Command({"INFO", "replication"}).str;
}

// Waits until the primary served a partial resynchronization and the replica's link is up.
inline void WaitForPartialResync(RedisClient& primary, RedisClient& replica) {
  ASSERT_TRUE(PollUntil([&] {
    return InfoInt(primary, "stats", "sync_partial_ok") >= 1 && LinkUp(replica);
  })) << primary.Command({"INFO", "stats"}).str
      << replica.Command({"INFO", "replication"}).str;
}

// Waits until the primary counts `count` connected replicas.
inline void WaitForConnectedReplicas(RedisClient& primary, int count) {
  ASSERT_TRUE(PollUntil([&] {
    return InfoInt(primary, "replication", "connected_slaves") == count;
  })) << primary.Command({"INFO", "replication"}).str;
}

// Waits until the primary is producing the snapshot for its first replica (INFO's slave0 in
// state wait_bgsave), so that writes made now reach that replica after the snapshot.
inline void WaitForSnapshotInProgress(RedisClient& primary) {
  ASSERT_TRUE(PollUntil([&] {
    return InfoField(primary, "replication", "slave0").find("state=wait_bgsave") !=
           std::string::npos;
  })) << primary.Command({"INFO", "replication"}).str;
}

// Holds a server stopped with SIGSTOP for its lifetime and sends SIGCONT when destroyed (also
// when an assertion leaves the scope early): a peer that hangs with its sockets still open.
class FrozenProcess {
 public:
  explicit FrozenProcess(const ServerProcess& process) : pid_(process.pid()) {
    if (pid_ > 0) {
      kill(pid_, SIGSTOP);
    } else {
      ADD_FAILURE() << "no process to freeze";
    }
  }
  ~FrozenProcess() {
    if (pid_ > 0) kill(pid_, SIGCONT);
  }
  FrozenProcess(const FrozenProcess&) = delete;
  FrozenProcess& operator=(const FrozenProcess&) = delete;

 private:
  pid_t pid_;
};

// Cuts the replica's link so that it cannot come back until RestoreLink: every reconnection
// fails at AUTH (a wrong masterauth), before PSYNC, so what the primary writes meanwhile
// reaches the replica only from the backlog.
inline void CutLink(RedisClient& primary, RedisClient& replica) {
  ASSERT_EQ(replica.Command({"CONFIG", "SET", "masterauth", "wrong"}), Status("OK"));
  ASSERT_EQ(replica.Command({"CLIENT", "KILL", "TYPE", "master"}), Int(1));
  ASSERT_NO_FATAL_FAILURE(WaitForConnectedReplicas(primary, 0));
}
inline void RestoreLink(RedisClient& replica) {
  ASSERT_EQ(replica.Command({"CONFIG", "SET", "masterauth", ""}), Status("OK"));
}

// A command as a failure message shows it (long arguments cut).
inline std::string Shown(const Argv& command) {
  std::string out;
  for (const std::string& arg : command) out += " " + arg.substr(0, 40);
  return out;
}

// Sends each command to both servers and expects Ember's reply to equal redis-server's.
inline void ExpectSameReplies(RedisClient& ember, RedisClient& redis,
                              const std::vector<Argv>& commands) {
  for (const Argv& command : commands) {
    EXPECT_EQ(ember.Command(command), redis.Command(command)) << Shown(command);
  }
}

// Sends the commands pipelined; none may fail.
inline void SendAll(RedisClient& client, const std::vector<Argv>& commands) {
  for (const Argv& command : commands) client.Append(command);
  for (const Argv& command : commands) {
    const Reply reply = client.ReadReply();
    ASSERT_NE(reply.type, Reply::Type::kError) << command[0] << ": " << reply.ToString();
  }
}

// GET `key` in database `db`; the connection is left in database 0.
inline Reply GetIn(RedisClient& client, int db, const std::string& key) {
  client.Command({"SELECT", std::to_string(db)});
  Reply reply = client.Command({"GET", key});
  client.Command({"SELECT", "0"});
  return reply;
}

// An expiry far in the future (2100-01-01), so PEXPIRETIME compares exactly across servers.
inline std::string FarExpiry(size_t i) { return std::to_string(4102444800000 + i); }

// Every type in database `db`, in small and large encodings: `strings` strings (every third
// with an expiry), a HyperLogLog, a bitmap, hashes, sets (intset, listpack, hashtable),
// sorted sets, a geo set, lists, and a stream with a deleted entry and a consumer group
// with pending entries.
inline void FillEveryType(RedisClient& client, int db, size_t strings) {
  const std::string tag = std::to_string(db);
  std::vector<Argv> commands = {{"SELECT", tag}};
  for (size_t i = 0; i < strings; ++i) {
    Argv set = {"SET", "s:" + std::to_string(i), rdb::MixedValue(i + db)};
    if (i % 3 == 0) set.insert(set.end(), {"PXAT", FarExpiry(i)});
    commands.push_back(set);
  }
  commands.insert(commands.end(), {{"PFADD", "hll", "a", "b", "c", tag},
                                   {"SETBIT", "bits", "1000", "1"},
                                   {"HSET", "h:small", "f", "v" + tag, "n", "12"},
                                   {"SADD", "set:int", "1", "2", "-300", tag},
                                   {"SADD", "set:str", "a", "b", "member-" + tag},
                                   {"ZADD", "z:small", "1", "a", "2.5", "b", "-inf", "c"},
                                   {"GEOADD", "geo", "13.361389", "38.115556", "Palermo"},
                                   {"RPUSH", "l:small", "a", "b", "1", tag},
                                   {"SET", "counter", "10"}});
  Argv hash = {"HSET", "h:big"}, set = {"SADD", "set:big"}, zset = {"ZADD", "z:big"},
       list = {"RPUSH", "l:big"};
  for (int i = 0; i < 300; ++i) {
    const std::string n = std::to_string(i);
    hash.insert(hash.end(), {"field-" + n, "value-" + n + "-" + tag});
    set.push_back("member-" + n);
    zset.insert(zset.end(), {std::to_string(i * 0.25), "member-" + n});
    list.push_back("element-" + n);
  }
  commands.insert(commands.end(), {hash, set, zset, list, {"PEXPIREAT", "h:big", FarExpiry(1)}});
  for (int i = 1; i <= 20; ++i) {
    commands.push_back({"XADD", "x", std::to_string(i) + "-1", "f", std::to_string(i), "db", tag});
  }
  commands.insert(commands.end(),
                  {{"XDEL", "x", "5-1"},
                   {"XGROUP", "CREATE", "x", "g", "0"},
                   {"XREADGROUP", "GROUP", "g", "alice", "COUNT", "3", "STREAMS", "x", ">"},
                   {"SELECT", "0"}});
  SendAll(client, commands);
}

// "db:key" -> "type pexpiretime digest [stream fields]", and "db:#dbsize" -> DBSIZE (which
// counts keys a replica holds logically expired until its primary's DEL arrives).
using Fingerprint = std::map<std::string, std::string>;

// XINFO STREAM's fields that do not depend on how the stream's nodes are laid out.
inline std::string StreamFields(const Reply& info) {
  std::string out;
  for (size_t i = 0; i + 1 < info.elements.size(); i += 2) {
    const std::string& name = info.elements[i].str;
    if (name == "length" || name == "last-generated-id" || name == "max-deleted-entry-id" ||
        name == "entries-added" || name == "groups") {
      out += name + "=" + info.elements[i + 1].ToString() + " ";
    }
  }
  return out;
}

// Reads all 16 databases with SCAN, pipelining TYPE, PEXPIRETIME and DEBUG DIGEST-VALUE per
// key (DEBUG must be enabled); a stream adds its XINFO STREAM fields and XINFO GROUPS.
inline Fingerprint ReadFingerprint(RedisClient& client) {
  Fingerprint out;
  for (int db = 0; db < 16; ++db) {
    const std::string prefix = std::to_string(db) + ":";
    client.Command({"SELECT", std::to_string(db)});
    out[prefix + "#dbsize"] = client.Command({"DBSIZE"}).ToString();
    std::string cursor = "0";
    for (int page_guard = 0; page_guard < 10'000; ++page_guard) {
      const Reply page = client.Command({"SCAN", cursor, "COUNT", "500"});
      if (page.type != Reply::Type::kArray || page.elements.size() != 2) {
        ADD_FAILURE() << "SCAN failed: " << page.ToString();
        return out;
      }
      for (const Reply& key : page.elements[1].elements) {
        client.Append({"TYPE", key.str});
        client.Append({"PEXPIRETIME", key.str});
        client.Append({"DEBUG", "DIGEST-VALUE", key.str});
      }
      std::vector<std::string> streams;
      for (const Reply& key : page.elements[1].elements) {
        const std::string type = client.ReadReply().str;
        const std::string expiry = client.ReadReply().ToString();
        const std::string digest = client.ReadReply().ToString();
        out[prefix + key.str] = type + " " + expiry + " " + digest;
        if (type == "stream") streams.push_back(key.str);
      }
      for (const std::string& key : streams) {
        out[prefix + key] += " " + StreamFields(client.Command({"XINFO", "STREAM", key})) +
                             client.Command({"XINFO", "GROUPS", key}).ToString();
      }
      cursor = page.elements[0].str;
      if (cursor == "0") break;
    }
  }
  client.Command({"SELECT", "0"});
  return out;
}

// Expects equal fingerprints, reporting the first few keys that differ.
inline void ExpectSameFingerprint(const Fingerprint& actual, const Fingerprint& expected) {
  auto shorten = [](const std::string& text) {
    return text.size() <= 300 ? text : text.substr(0, 300) + "...";
  };
  Fingerprint all = expected;
  all.insert(actual.begin(), actual.end());
  int reported = 0;
  for (const auto& [key, unused] : all) {
    const auto want = expected.find(key);
    const auto got = actual.find(key);
    const std::string want_text = want == expected.end() ? "(absent)" : want->second;
    const std::string got_text = got == actual.end() ? "(absent)" : got->second;
    if (want_text == got_text) continue;
    if (++reported > 5) break;
    ADD_FAILURE() << key << "\n  expected: " << shorten(want_text)
                  << "\n  actual:   " << shorten(got_text);
  }
  EXPECT_EQ(reported, 0) << "keys differ (first 5 shown); " << expected.size() << " expected, "
                         << actual.size() << " actual";
}

inline std::string Digest(RedisClient& client) {
  const Reply reply = client.Command({"DEBUG", "DIGEST"});
  EXPECT_EQ(reply.type, Reply::Type::kStatus) << reply.ToString();
  return reply.str;
}

// The replica holds exactly the primary's data: the same keys, types, values, expiry times
// and stream groups in every database, the same DEBUG DIGEST and the same functions.
inline void ExpectSameData(RedisClient& primary, RedisClient& replica) {
  ExpectSameFingerprint(ReadFingerprint(replica), ReadFingerprint(primary));
  EXPECT_EQ(Digest(replica), Digest(primary));
  EXPECT_EQ(replica.Command({"FUNCTION", "LIST"}), primary.Command({"FUNCTION", "LIST"}));
}

}  // namespace ember::test::repl
