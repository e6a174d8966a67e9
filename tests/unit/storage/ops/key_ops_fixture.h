// Shared fixture for the key_ops tests: a keyspace of 16 databases, a hand-set clock, and
// helpers to plant and read string keys.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "storage/keyspace/database.h"
#include "storage/keyspace/keyspace.h"
#include "storage/value/value.h"

namespace ember::storage {

class KeyOpsTest : public ::testing::Test {
 protected:
  static constexpr int64_t kNow = 1'700'000'000'000;

  Database& db(int index = 0) { return keyspace_.db(index); }

  Entry* Set(std::string_view key, std::string_view value, int index = 0) {
    return db(index).Add(key, Value::String(value));
  }
  Entry* SetWithExpire(std::string_view key, std::string_view value, int64_t at_ms, int index = 0) {
    Entry* entry = Set(key, value, index);
    entry = db(index).SetExpire(entry, at_ms);
    return entry;
  }
  // The value of a live key at `now_ms`, or nullopt.
  std::optional<std::string> Get(std::string_view key, int index = 0, int64_t now_ms = kNow) {
    Entry* entry = db(index).Find(key, now_ms);
    if (entry == nullptr) return std::nullopt;
    NumberBuffer scratch;
    return std::string(entry->value().View(scratch));
  }
  // The key's absolute expiry, -1 without TTL, -2 when missing.
  int64_t ExpireOf(std::string_view key, int index = 0, int64_t now_ms = kNow) {
    Entry* entry = db(index).Find(key, now_ms);
    return entry == nullptr ? -2 : db(index).GetExpire(entry);
  }

  Keyspace keyspace_{16};
};

}  // namespace ember::storage
