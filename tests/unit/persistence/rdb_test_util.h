// Helpers for persistence unit tests: building keyspaces, serialising them to memory, and
// comparing two keyspaces key by key (value bytes, encoding class and TTL).
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "persistence/byte_io.h"
#include "persistence/rdb_load.h"
#include "persistence/rdb_save.h"
#include "persistence/rdb_value_savers.h"
#include "storage/keyspace/keyspace.h"

namespace ember::persistence::testing {

inline constexpr int64_t kNowMs = 1'700'000'000'000;

inline std::string Bytes(storage::ValueRef value) {
  storage::NumberBuffer scratch;
  return std::string(value.View(scratch));
}

inline void Put(storage::Keyspace& ks, int db, std::string_view key, std::string_view value,
                int64_t expire_at_ms = -1) {
  storage::Entry* e = ks.db(db).Add(key, storage::Value::String(value));
  if (expire_at_ms >= 0) e = ks.db(db).SetExpire(e, expire_at_ms);
}

// One value as its saver writes it (uncompressed); *type_byte gets the RDB type byte.
inline std::string SaveValue(const storage::Value& value, uint8_t* type_byte) {
  const RdbValueSaver& saver = FindRdbValueSaver(value.type());
  std::string out;
  RdbEncoder encoder(&out, false);
  *type_byte = saver.type_byte(value.Ref());
  EXPECT_TRUE(saver.save(encoder, value.Ref()).ok());
  return out;
}

inline std::string SaveToMemory(const storage::Keyspace& ks, RdbWriteOptions options = {}) {
  MemorySink sink;
  Status s = WriteRdbSnapshot(ks, &sink, options, kNowMs / 1000, nullptr);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return sink.data();
}

// Loads `data` completely into `ks`; returns the final status. `decode_ahead`: read on a
// second thread (RdbLoader::set_decode_ahead).
inline Status LoadFromMemory(std::string_view data, storage::Keyspace* ks,
                             RdbLoadStats* stats = nullptr, int64_t now_ms = kNowMs,
                             bool decode_ahead = false) {
  MemorySource source(data);
  RdbLoader loader(ks, &source, now_ms);
  loader.set_decode_ahead(decode_ahead);
  bool done = false;
  Status s;
  while (s.ok() && !done) s = loader.Step(1000, &done);
  if (stats != nullptr) *stats = loader.stats();
  return s;
}

// Every key of `a` is in `b` with the same bytes, integer-ness and TTL, and sizes agree.
inline void ExpectSameKeyspace(const storage::Keyspace& a, storage::Keyspace& b) {
  ASSERT_EQ(a.database_count(), b.database_count());
  for (int i = 0; i < a.database_count(); ++i) {
    ASSERT_EQ(a.db(i).size(), b.db(i).size()) << "db " << i;
    ASSERT_EQ(a.db(i).expires_size(), b.db(i).expires_size()) << "db " << i;
    size_t mismatches = 0;
    a.db(i).ForEach([&](const storage::Entry& entry) {
      const storage::Entry* other = b.db(i).Find(entry.key(), 0);
      if (other == nullptr || Bytes(other->value()) != Bytes(entry.value()) ||
          other->value().is_integer() != entry.value().is_integer() ||
          b.db(i).GetExpire(other) != a.db(i).GetExpire(&entry)) {
        if (++mismatches < 5) ADD_FAILURE() << "key differs: " << entry.key();
      }
    });
    EXPECT_EQ(mismatches, 0u) << "db " << i;
  }
}

}  // namespace ember::persistence::testing
