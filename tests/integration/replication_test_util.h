// Helpers for the replication tests: Ember as the primary, Debian's redis-server 7.0 as its
// replica, both on loopback. Starting them, bounded polls for the replica's link and for the
// stream to settle (the replica's offset reaching the primary's), INFO fields, a dataset of
// every type in several databases, and a snapshot of a dataset read over the wire for
// comparing two servers.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/rdb_test_util.h"
#include "tests/support/redis_client.h"
#include "tests/support/server_process.h"

namespace ember::test::repl {

using Argv = std::vector<std::string>;

// An expiry far in the future (2100-01-01), so PEXPIRETIME compares exactly across servers.
inline std::string FarExpiry(size_t i) { return std::to_string(4102444800000 + i); }

// Ember as a primary: diskless syncs start at once, DEBUG DIGEST allowed.
inline ServerProcess StartPrimary(Argv extra = {}) {
  Argv args = {"--repl-diskless-sync-delay", "0", "--enable-debug-command", "yes"};
  args.insert(args.end(), extra.begin(), extra.end());
  return ServerProcess::StartEmber(args);
}

// The reference redis-server replicating `primary_port`.
inline ServerProcess StartReplica(int primary_port, Argv extra = {}) {
  Argv args = {"--replicaof", "127.0.0.1", std::to_string(primary_port), "--enable-debug-command",
               "yes"};
  args.insert(args.end(), extra.begin(), extra.end());
  return ServerProcess::StartReference(args);
}

// The value of `field` in INFO `section`, or "" when absent.
inline std::string InfoField(RedisClient& client, const std::string& section,
                             const std::string& field) {
  const std::string info = "\r\n" + client.Command({"INFO", section}).str;
  const std::string needle = "\r\n" + field + ":";
  const size_t at = info.find(needle);
  if (at == std::string::npos) return "";
  const size_t start = at + needle.size();
  return info.substr(start, info.find("\r\n", start) - start);
}

inline long long InfoInt(RedisClient& client, const std::string& section,
                         const std::string& field) {
  const std::string value = InfoField(client, section, field);
  return value.empty() ? -1 : std::stoll(value);
}

// Calls `condition` every 20 ms for up to 10 s; true once it holds.
template <typename Condition>
bool PollUntil(Condition condition) {
  for (int i = 0; i < 500; ++i) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
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

// Waits until the replica processed the whole stream: its offset equals the primary's.
inline void WaitForSettled(RedisClient& primary, RedisClient& replica) {
  ASSERT_TRUE(PollUntil([&] {
    const long long target = InfoInt(primary, "replication", "master_repl_offset");
    return InfoInt(replica, "replication", "master_repl_offset") == target;
  })) << "primary:\n"
      << primary.Command({"INFO", "replication"}).str << "replica:\n"
      << replica.Command({"INFO", "replication"}).str;
}

inline void SendAll(RedisClient& client, const std::vector<Argv>& commands) {
  for (const Argv& command : commands) client.Append(command);
  for (const Argv& command : commands) {
    const Reply reply = client.ReadReply();
    ASSERT_NE(reply.type, Reply::Type::kError) << command[0] << ": " << reply.ToString();
  }
}

// Every type in small and large encodings in database `db`: `strings` strings (every third
// with an expiry), hashes, sets (intset and hashtable), sorted sets, lists, and a
// stream with a deleted entry and a consumer group with pending entries.
inline void FillEveryType(RedisClient& client, int db, size_t strings) {
  const std::string tag = std::to_string(db);
  std::vector<Argv> commands = {{"SELECT", tag}};
  for (size_t i = 0; i < strings; ++i) {
    Argv set = {"SET", "s:" + std::to_string(i), rdb::MixedValue(i + db)};
    if (i % 3 == 0) set.insert(set.end(), {"PXAT", FarExpiry(i)});
    commands.push_back(set);
  }
  commands.insert(commands.end(), {{"HSET", "h:small", "f", "v" + tag, "n", "12"},
                                   {"SADD", "set:int", "1", "2", "-300", tag},
                                   {"SADD", "set:str", "a", "b", "member-" + tag},
                                   {"ZADD", "z:small", "1", "a", "2.5", "b", "-inf", "c"},
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

// "db:key" -> "type ttl content", and "db:#dbsize" -> DBSIZE (which counts keys a replica
// holds logically expired until its primary's DEL arrives).
using Snapshot = std::map<std::string, std::string>;

inline std::string Sorted(const Reply& reply, size_t step) {
  std::vector<std::string> items;
  for (size_t i = 0; i + step <= reply.elements.size(); i += step) {
    std::string item;
    for (size_t j = 0; j < step; ++j) item += reply.elements[i + j].ToString() + "=";
    items.push_back(item);
  }
  std::sort(items.begin(), items.end());
  std::string out;
  for (const std::string& item : items) out += item + " ";
  return out;
}

// The fields of XINFO STREAM that do not depend on how nodes are laid out.
inline std::string StreamInfo(const Reply& reply) {
  std::string out;
  for (size_t i = 0; i + 1 < reply.elements.size(); i += 2) {
    const std::string& name = reply.elements[i].str;
    if (name == "length" || name == "last-generated-id" || name == "max-deleted-entry-id" ||
        name == "entries-added" || name == "groups") {
      out += name + "=" + reply.elements[i + 1].ToString() + " ";
    }
  }
  return out;
}

inline std::vector<Argv> ReadsFor(const std::string& type, const std::string& key) {
  if (type == "string") return {{"GET", key}};
  if (type == "hash") return {{"HGETALL", key}};
  if (type == "set") return {{"SMEMBERS", key}};
  if (type == "zset") return {{"ZRANGE", key, "0", "-1", "WITHSCORES"}};
  if (type == "list") return {{"LRANGE", key, "0", "-1"}};
  if (type == "stream") {
    return {{"XRANGE", key, "-", "+"}, {"XINFO", "STREAM", key}, {"XINFO", "GROUPS", key}};
  }
  return {};
}

inline std::string Render(const std::string& type, const std::vector<Reply>& replies) {
  if (type == "hash") return Sorted(replies[0], 2);
  if (type == "set") return Sorted(replies[0], 1);
  if (type == "stream") {
    return replies[0].ToString() + " " + StreamInfo(replies[1]) + replies[2].ToString();
  }
  return replies.empty() ? "?" : replies[0].ToString();
}

inline Snapshot ReadAll(RedisClient& client, int databases = 16) {
  Snapshot out;
  for (int db = 0; db < databases; ++db) {
    const std::string prefix = std::to_string(db) + ":";
    client.Command({"SELECT", std::to_string(db)});
    out[prefix + "#dbsize"] = client.Command({"DBSIZE"}).ToString();
    std::string cursor = "0";
    for (int guard = 0; guard < 100'000; ++guard) {
      const Reply page = client.Command({"SCAN", cursor, "COUNT", "500"});
      if (page.type != Reply::Type::kArray || page.elements.size() != 2) {
        ADD_FAILURE() << "SCAN failed: " << page.ToString();
        return out;
      }
      for (const Reply& key : page.elements[1].elements) {
        const std::string type = client.Command({"TYPE", key.str}).str;
        std::vector<Reply> replies;
        for (const Argv& read : ReadsFor(type, key.str)) replies.push_back(client.Command(read));
        out[prefix + key.str] = type + " " + client.Command({"PEXPIRETIME", key.str}).ToString() +
                                " " + Render(type, replies);
      }
      cursor = page.elements[0].str;
      if (cursor == "0") break;
    }
  }
  client.Command({"SELECT", "0"});
  return out;
}

// Expects `actual` to equal `expected`, reporting the first few keys that differ.
inline void ExpectSameSnapshot(const Snapshot& actual, const Snapshot& expected) {
  auto shorten = [](const std::string& text) {
    return text.size() <= 200 ? text : text.substr(0, 200) + "...";
  };
  Snapshot all = expected;
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

// The replica holds exactly the primary's data: same keys, types, values and expiry times
// in every database, and the same DEBUG DIGEST.
inline void ExpectSameData(RedisClient& primary, RedisClient& replica) {
  ExpectSameSnapshot(ReadAll(replica), ReadAll(primary));
  EXPECT_EQ(Digest(replica), Digest(primary));
}

}  // namespace ember::test::repl
