// How the stream ops find their stream — for reading (a missing key reads as nullptr) or for
// changing (kKeyNotFound), with WRONGTYPE decided by Database::FindOfType — and copy its
// entries out for a reply. Engine thread only.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "storage/keyspace/database.h"
#include "storage/op_status.h"
#include "storage/ops/stream_ops.h"
#include "storage/value/stream_value.h"

namespace ember::storage {

// The stream at `key` for reading; nullptr when absent. Streams are always boxed, so the
// pointer stays valid after the view that gave it.
inline OpResult<const StreamValue*> FindStreamForRead(Database& db, std::string_view key,
                                                      int64_t now_ms) {
  OpResult<Entry*> found = db.FindOfType(key, ValueType::kStream, now_ms, LookupMode::kRead);
  if (found.status() == OpStatus::kKeyNotFound) return static_cast<const StreamValue*>(nullptr);
  if (!found.ok()) return found.status();
  return &*(*found)->value().Read<StreamValue>();
}

// A mutation of the existing stream at `key` (kKeyNotFound when absent).
inline OpResult<ValueMutation> MutateStream(Database& db, std::string_view key, int64_t now_ms) {
  OpResult<Entry*> found = db.FindOfType(key, ValueType::kStream, now_ms);
  if (!found.ok()) return found.status();
  return db.Mutate(*found);
}

// Copies of the live entries Range visits (the views it hands out die with the visit).
inline std::vector<StreamEntry> CopyEntries(const StreamValue& stream, StreamId start, StreamId end,
                                            bool reverse, size_t count) {
  std::vector<StreamEntry> entries;
  stream.Range(start, end, reverse, count, [&](const StreamValue::EntryView& view) {
    StreamEntry& entry = entries.emplace_back();
    entry.id = view.id;
    entry.field_values.reserve(2 * view.fields.size());
    for (const StreamValue::Field& field : view.fields) {
      entry.field_values.emplace_back(field.name);
      entry.field_values.emplace_back(field.value);
    }
    return true;
  });
  return entries;
}

// The live entry `id`, nullopt when it is not (or no longer) in the stream.
inline std::optional<StreamEntry> CopyEntry(const StreamValue& stream, StreamId id) {
  std::vector<StreamEntry> found = CopyEntries(stream, id, id, false, 1);
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

}  // namespace ember::storage
