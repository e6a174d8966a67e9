// The keyspace work behind RESTORE (DUMP only reads a value with Database::FindForRead).
// The payload itself is decoded by the handler (persistence/dump_payload.h): storage never
// parses file formats. Redis 7.0's restoreCommand semantics: the busy-key check comes
// before the payload is looked at; a TTL already in the past stores nothing (and deletes
// the replaced key); IDLETIME / FREQ set the access field as objectSetLRUOrLFU does.
//
// Threading: engine thread only.
#pragma once

#include <cstdint>
#include <string_view>

#include "storage/keyspace/keyspace.h"
#include "storage/op_status.h"
#include "storage/value/value.h"

namespace ember::storage {

// Whether `key` holds a live value (a write lookup: expired keys are deleted, no hit/miss
// counted), for RESTORE's BUSYKEY check.
bool OpRestoreTargetExists(Database& db, std::string_view key, int64_t now_ms);

struct RestoreOptions {
  int64_t expire_at_ms = -1;  // absolute unix ms; -1: no TTL
  bool replace = false;       // delete an existing key first
  int64_t idle_seconds = -1;  // IDLETIME: applies under an LRU policy; -1: not given
  int64_t freq = -1;          // FREQ: applies under an LFU policy; -1: not given
};

enum class RestoreOutcome {
  kRestored,         // the key now holds the value
  kExpiredReplaced,  // the TTL had passed: the replaced key was deleted, nothing stored
  kExpiredNothing,   // the TTL had passed and there was nothing to replace
};

// Stores `value` at `key` in database `db` with `options`. Requires: the caller checked
// OpRestoreTargetExists when !replace (an existing key is then replaced regardless).
OpResult<RestoreOutcome> OpRestore(Keyspace& keyspace, int db, std::string_view key, Value value,
                                   const RestoreOptions& options, int64_t now_ms);

}  // namespace ember::storage
