// Bitmap operations: the keyspace work behind the writes of Redis's bitmap group (SETBIT,
// BITOP, BITFIELD), and BITFIELD's reads. The bit arithmetic itself is in bitmap_math.h;
// GETBIT, BITCOUNT and BITPOS read the string with OpGet (string_ops.h) and use it directly.
//
// Bitmaps are strings: a key of another type fails with kWrongType and changes nothing. An
// integer-encoded string is read as its decimal text and becomes bytes when written. A
// write that reaches past the end zero-fills the string up to the byte it writes, in place
// through a ValueMutation, so a bit write costs O(1) unless it grows the string.
//
// Callers check offsets against proto-max-bulk-len; these functions trust them.
// Threading: engine thread only, like the Database they act on.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "storage/keyspace/database.h"
#include "storage/op_status.h"
#include "storage/ops/bitmap_math.h"

namespace ember::storage {

struct SetBitResult {
  bool old_bit = false;
  // Whether the key changed: it was created, it grew, or the bit flipped. An unchanged
  // key is left untouched and unreported, as Redis neither signals nor counts it.
  bool changed = false;
};

// Sets bit `offset` of the string at `key` to `bit`, creating the key when absent.
OpResult<SetBitResult> OpSetBit(Database& db, std::string_view key, uint64_t offset, bool bit,
                                int64_t now_ms);

enum class BitOpEffect { kNone, kStored, kDeleted };

struct BitOpResult {
  int64_t length = 0;  // of the result, in bytes
  BitOpEffect effect = BitOpEffect::kNone;
};

// BITOP: combines the strings at `sources` (absent keys read as empty) and stores the
// result at `dest` as SET does (any previous value and TTL replaced); an empty result
// deletes `dest` instead (kDeleted only when it existed). kWrongType when a source is not a
// string; `dest` may hold any type. Sources are read-looked-up (hits and misses counted).
// Requires: sources not empty; exactly one for kNot.
OpResult<BitOpResult> OpBitOp(Database& db, bitmap::BitOperation op, std::string_view dest,
                              std::span<const std::string_view> sources, int64_t now_ms);

struct BitFieldOp {
  enum class Kind : uint8_t { kGet, kSet, kIncrBy };
  Kind kind = Kind::kGet;
  bool is_signed = false;
  unsigned bits = 0;  // 1..64 signed, 1..63 unsigned
  bitmap::Overflow overflow = bitmap::Overflow::kWrap;
  uint64_t offset = 0;  // in bits
  int64_t value = 0;    // SET's value, INCRBY's increment
};

struct BitFieldResult {
  // One per operation, in order: GET's value, SET's old value, INCRBY's new value; nullopt
  // for a SET or INCRBY refused by OVERFLOW FAIL.
  std::vector<std::optional<int64_t>> replies;
  // Operations that stored a different value, or any that stored into a string this call
  // created or grew (Redis counts these toward its dirty counter).
  uint64_t changes = 0;
};

// BITFIELD: runs `ops` in order on the string at `key`. With only GETs it is a read (an
// absent key reads as zeros and is not created). Otherwise the key is looked up for
// writing and first created or zero-filled up to the farthest bit any SET or INCRBY
// reaches, even when OVERFLOW FAIL then refuses them all, as Redis does. A call that
// changes no field reports no modification, unless it created or grew the string: Redis
// signals nothing then either, but the growth must be stored, so Ember reports it (WATCH).
OpResult<BitFieldResult> OpBitField(Database& db, std::string_view key,
                                    std::span<const BitFieldOp> ops, int64_t now_ms);

}  // namespace ember::storage
