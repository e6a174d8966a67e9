// Helpers for the collection persistence tests that compare Ember's in-process keyspace
// (loaded or saved with the persistence library) with what a redis-server reports over the
// wire: the elements of a key on either side, its OBJECT ENCODING, and a dump handed over.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "persistence/rdb_save.h"
#include "storage/keyspace/keyspace.h"
#include "storage/value/collection.h"
#include "storage/value/hash_value.h"
#include "storage/value/set_value.h"
#include "tests/integration/rdb_test_util.h"
#include "tests/support/redis_client.h"
#include "tests/support/server_process.h"

namespace ember::test::collections {

using HashMap = std::map<std::string, std::string>;
using MemberSet = std::set<std::string>;

inline HashMap HashOf(const storage::Entry* entry) {
  HashMap out;
  entry->value().Read<storage::HashValue>()->ForEach(
      [&](std::string_view f, std::string_view v) { out.emplace(f, v); });
  return out;
}

inline MemberSet SetOf(const storage::Entry* entry) {
  MemberSet out;
  entry->value().Read<storage::SetValue>()->ForEach([&](std::string_view m) { out.emplace(m); });
  return out;
}

inline std::string EncodingOf(const storage::Entry* entry) {
  return std::string(storage::CollectionEncodingName(entry->value().encoding()));
}

inline HashMap RedisHash(RedisClient& client, const std::string& key) {
  const Reply r = client.Command({"HGETALL", key});
  HashMap out;
  for (size_t i = 0; i + 1 < r.elements.size(); i += 2) {
    out.emplace(r.elements[i].str, r.elements[i + 1].str);
  }
  return out;
}

inline MemberSet RedisSet(RedisClient& client, const std::string& key) {
  MemberSet out;
  for (const Reply& m : client.Command({"SMEMBERS", key}).elements) out.insert(m.str);
  return out;
}

// Saves `ks` as dir/dump.rdb (at unix time `now_s`), expects redis-check-rdb to pass it,
// and starts the reference server on that directory.
inline ServerProcess SaveAndStartReference(const storage::Keyspace& ks, const rdb::TempDir& dir,
                                           bool compression, int64_t now_s) {
  persistence::RdbWriteOptions options;
  options.compression = compression;
  persistence::Status s =
      persistence::SaveRdbFile(ks, dir.file("dump.rdb"), options, now_s, nullptr);
  EXPECT_TRUE(s.ok()) << s.ToString();
  auto [status, output] = rdb::RedisCheckRdb(dir.file("dump.rdb"));
  EXPECT_EQ(status, 0) << output;
  EXPECT_NE(output.find("RDB looks OK"), std::string::npos) << output;
  return ServerProcess::StartReference({"--dir", dir.path()});
}

}  // namespace ember::test::collections
