// How the stream ops find their stream: for reading (a missing key reads as nullptr) or for
// changing (kKeyNotFound), with WRONGTYPE decided by Database::FindOfType. Engine thread only.
#pragma once

#include <string_view>

#include "storage/keyspace/database.h"
#include "storage/op_status.h"
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

}  // namespace ember::storage
