// The string lookup the string and bitmap ops share, for commands where a missing key is
// no error (it reads as the empty string).
#pragma once

#include <cstdint>
#include <string_view>

#include "storage/keyspace/database.h"
#include "storage/op_status.h"

namespace ember::storage {

// The entry holding a string at `key`, nullptr when the key is absent, or kWrongType.
inline OpResult<Entry*> FindStringOrNull(Database& db, std::string_view key, int64_t now_ms,
                                         LookupMode mode) {
  OpResult<Entry*> found = db.FindOfType(key, ValueType::kString, now_ms, mode);
  if (found.status() == OpStatus::kKeyNotFound) return static_cast<Entry*>(nullptr);
  return found;
}

}  // namespace ember::storage
