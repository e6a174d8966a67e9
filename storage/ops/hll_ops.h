// HyperLogLog operations: the keyspace work behind PFADD, PFCOUNT, PFMERGE and PFDEBUG. An
// HLL is a plain string value in Redis 7.0's layout (hll_format.h, hll_sparse.h), so GET,
// SET, DUMP/RESTORE and the RDB carry it unchanged; these functions only read and edit it.
//
// Outcomes shared by all: kWrongType for a key of another type, kNotHll for a string that
// fails the header check (IsHllString), kCorruptHll for sparse opcodes that do not add up,
// found when an operation needs them. Lookups follow Redis's: write lookups for the keys
// a command changes, read lookups (hit and miss counted) for the ones it reads.
//
// `sparse_max_bytes` is hll-sparse-max-bytes: an edit that would take a sparse string past
// it makes the string dense instead.
//
// Threading: engine thread only, like the Database they act on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storage/keyspace/database.h"
#include "storage/op_status.h"
#include "storage/ops/hll_format.h"

namespace ember::storage {

// PFADD: adds `elements` to the HLL at `key`, creating an empty one when absent. Returns
// Redis's count of changes: 1 for a created key plus 1 per register raised (PFADD replies 1
// when it is not 0, and that many changes count toward the dirty counter). A sparse string
// found corrupt after some registers were raised keeps those (as in Redis) and the call
// fails with kCorruptHll; Ember still reports that store for WATCH, where Redis does not.
OpResult<uint64_t> OpPfAdd(Database& db, std::string_view key,
                           std::span<const std::string_view> elements, size_t sparse_max_bytes,
                           int64_t now_ms);

struct PfCountResult {
  uint64_t cardinality = 0;
  // Whether the single key's cached cardinality was stale and has been rewritten: Redis
  // then counts a change and propagates the PFCOUNT.
  bool cache_written = false;
};

// PFCOUNT. One key: the cached cardinality, or a fresh estimate stored back into the
// cache (the string changes, the key is reported modified); 0 when absent. Several keys:
// the estimate of their union, with absent keys read as empty and nothing written.
// Requires: keys not empty.
OpResult<PfCountResult> OpPfCount(Database& db, std::span<const std::string_view> keys,
                                  int64_t now_ms);

// PFMERGE: stores at `keys[0]` the union of the HLLs at all `keys` (itself included, absent
// ones read as empty), creating it when absent; the result is dense when any input was,
// its cache marked stale. Every input is checked before anything is written.
// Requires: keys not empty.
OpResult<bool> OpPfMerge(Database& db, std::span<const std::string_view> keys,
                         size_t sparse_max_bytes, int64_t now_ms);

enum class PfDebugAction : uint8_t { kGetRegisters, kDecode, kEncoding, kToDense, kNone };

struct PfDebugResult {
  hll::Encoding encoding = hll::Encoding::kSparse;  // before any conversion
  bool converted = false;          // GETREG and TODENSE: a sparse string was made dense
  std::vector<uint8_t> registers;  // GETREG
  std::string decoded;             // DECODE of a sparse string
};

// PFDEBUG: looks `key` up for writing (kKeyNotFound when absent) and checks it as every
// HLL command does, then runs `action` (kNone: nothing, for a subcommand the caller does
// not know, which Redis rejects only after this check). GETREG and TODENSE turn a sparse
// string dense for good; kCorruptHll when it cannot be.
OpResult<PfDebugResult> OpPfDebug(Database& db, std::string_view key, PfDebugAction action,
                                  int64_t now_ms);

}  // namespace ember::storage
