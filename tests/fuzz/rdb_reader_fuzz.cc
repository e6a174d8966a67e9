// Fuzz target: the RDB reader (persistence/rdb_check.h, persistence/rdb_load.h).
//
// Claims, for any bytes:
// - CheckRdb and RdbLoader finish with a Status (no crash, no hang, no huge allocation);
// - they agree: a file the loader accepts passes the check with the same number of keys, and
//   a file the check rejects is rejected by the loader too;
// - what the loader accepted survives a round trip: saved with WriteRdbSnapshot, it passes
//   the check with a verified checksum and loads back into the same keys, values and TTLs.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "persistence/byte_io.h"
#include "persistence/rdb_check.h"
#include "persistence/rdb_load.h"
#include "persistence/rdb_save.h"
#include "storage/keyspace/keyspace.h"
#include "storage/value/hash_value.h"
#include "storage/value/list_value.h"
#include "storage/value/set_value.h"
#include "storage/value/value_concerns.h"
#include "storage/value/zset_value.h"

namespace {

using ember::persistence::CheckRdb;
using ember::persistence::MemorySink;
using ember::persistence::MemorySource;
using ember::persistence::RdbCheckReport;
using ember::persistence::RdbLoader;
using ember::persistence::RdbLoadStats;
using ember::persistence::RdbWriteOptions;
using ember::persistence::Status;
using ember::storage::Keyspace;

// Keys with a TTL before this time are dropped while loading, as on a master at startup.
constexpr int64_t kNowMs = 1'700'000'000'000;

[[noreturn]] void Fail(const char* what, const Status& status) {
  std::fprintf(stderr, "rdb_reader_fuzz: %s (%s)\n", what, status.ToString().c_str());
  std::abort();
}

// Loads `bytes` into `keyspace` a few keys per step, as the server does while it answers
// -LOADING. Every step that does not finish must read something, or the load would hang.
Status Load(std::string_view bytes, Keyspace* keyspace, RdbLoadStats* stats) {
  MemorySource source(bytes);
  RdbLoader loader(keyspace, &source, kNowMs);
  bool done = false;
  Status status;
  uint64_t last_offset = 0;
  bool first = true;
  while (status.ok() && !done) {
    status = loader.Step(3, &done);
    if (status.ok() && !done && !first && source.offset() == last_offset) {
      Fail("a load step made no progress", status);
    }
    first = false;
    last_offset = source.offset();
  }
  if (source.offset() > bytes.size()) Fail("the loader read past the end", status);
  *stats = loader.stats();
  return status;
}

// A value's content as one string: a string's bytes; a list's elements in order, a sorted
// set's pairs in order, a hash's or set's sorted (table order may differ after a reload), each
// length-prefixed.
std::string ValueBytes(ember::storage::ValueRef value) {
  ember::storage::NumberBuffer scratch;
  if (value.is_string()) return std::string(value.View(scratch));
  std::vector<std::string> parts;
  auto prefixed = [](std::string_view s) {
    return std::to_string(s.size()) + ":" + std::string(s);
  };
  if (value.type() == ember::storage::ValueType::kList) {
    std::string out;
    const auto list = value.Read<ember::storage::ListValue>();
    list->Visit(0, list->Size(), false, [&](const ember::storage::ListValue::Element& element) {
      out += prefixed(element.View(scratch));
      return true;
    });
    return out;
  }
  if (value.type() == ember::storage::ValueType::kZSet) {
    std::string out;
    const auto set = value.Read<ember::storage::SortedSetValue>();
    if (set->Size() == 0) return out;
    set->Visit(0, set->Size() - 1, ember::storage::ZOrder::kAscending,
               [&](std::string_view member, double score) {
                 char text[32];
                 std::snprintf(text, sizeof(text), "%.17g", score);
                 out += prefixed(member) + prefixed(text);
                 return true;
               });
    return out;
  }
  if (value.type() == ember::storage::ValueType::kHash) {
    value.Read<ember::storage::HashValue>()->ForEach([&](std::string_view f, std::string_view v) {
      parts.push_back(prefixed(f) + prefixed(v));
    });
  } else if (value.type() == ember::storage::ValueType::kSet) {
    value.Read<ember::storage::SetValue>()->ForEach(
        [&](std::string_view m) { parts.push_back(prefixed(m)); });
  }
  std::sort(parts.begin(), parts.end());
  std::string out;
  for (const std::string& p : parts) out += p;
  return out;
}

// Every key of `a` is in `b` with the same value, encoding and TTL, and sizes agree.
bool SameKeyspace(const Keyspace& a, Keyspace& b) {
  for (int i = 0; i < a.database_count(); ++i) {
    if (a.db(i).size() != b.db(i).size() || a.db(i).expires_size() != b.db(i).expires_size()) {
      return false;
    }
    bool same = true;
    a.db(i).ForEach([&](const ember::storage::Entry& entry) {
      const ember::storage::Entry* other = b.db(i).Find(entry.key(), 0);
      if (other == nullptr || other->value().type() != entry.value().type() ||
          ember::storage::ObjectEncoding(other->value()) !=
              ember::storage::ObjectEncoding(entry.value()) ||
          ValueBytes(other->value()) != ValueBytes(entry.value()) ||
          b.db(i).GetExpire(other) != a.db(i).GetExpire(&entry)) {
        same = false;
      }
    });
    if (!same) return false;
  }
  return true;
}

void CheckRoundTrip(const Keyspace& loaded) {
  MemorySink sink;
  Status status = ember::persistence::WriteRdbSnapshot(loaded, &sink, RdbWriteOptions{},
                                                       kNowMs / 1000, nullptr);
  if (!status.ok()) Fail("saving a loaded keyspace failed", status);

  MemorySource source(sink.data());
  RdbCheckReport report;
  status = CheckRdb(&source, &report);
  if (!status.ok() || !report.checksum_verified) Fail("a saved snapshot fails the check", status);

  Keyspace reloaded;
  RdbLoadStats stats;
  status = Load(sink.data(), &reloaded, &stats);
  if (!status.ok()) Fail("a saved snapshot does not load", status);
  if (!SameKeyspace(loaded, reloaded)) Fail("a snapshot loads back different keys", status);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(size == 0 ? "" : reinterpret_cast<const char*>(data), size);

  MemorySource check_source(bytes);
  RdbCheckReport report;
  const Status checked = CheckRdb(&check_source, &report);
  if (report.bytes > size) Fail("the check read past the end", checked);

  Keyspace keyspace;
  RdbLoadStats stats;
  const Status loaded = Load(bytes, &keyspace, &stats);
  if (!checked.ok() && loaded.ok()) Fail("the loader accepts what the check rejects", checked);
  if (!loaded.ok()) return 0;
  if (stats.keys_loaded + stats.keys_expired != report.keys) {
    Fail("the loader and the check count different keys", loaded);
  }
  if (keyspace.key_count() != stats.keys_loaded) Fail("loaded keys went missing", loaded);
  CheckRoundTrip(keyspace);
  return 0;
}
