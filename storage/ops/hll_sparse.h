// The sparse HyperLogLog representation, as Redis 7.0 writes and reads it: after the
// header, a run-length encoding of the 16384 registers in three opcodes,
//   ZERO   00xxxxxx           xxxxxx + 1 registers (1..64) at zero
//   XZERO  01xxxxxx yyyyyyyy  the 14 bits + 1 registers (1..16384) at zero
//   VAL    1vvvvvxx           xx + 1 registers (1..4) at vvvvv + 1 (1..32)
// which together must cover exactly 16384 registers.
//
// Redis edits this encoding in place, and the bytes it leaves depend on the order of its
// edits (which run it splits, which neighbouring VALs it merges), so SetSparseRegister
// follows the same steps to leave the same bytes; that is what lets an HLL move between
// Ember and redis-server and stay identical. A string is sparse while it stays within
// hll-sparse-max-bytes and holds no register above 32; past either it becomes dense.
//
// Corrupted input: an XZERO cut short by the end of the string reads its missing byte as
// zero (Redis reads its string's terminator); runs that do not add up to 16384 registers
// make the readers return false or kCorrupt. Nothing reads or writes outside the string.
//
// Pure functions on byte buffers; safe on any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "storage/ops/hll_format.h"

namespace ember::storage::hll {

inline constexpr uint8_t kSparseMaxValue = 32;

// Calls visit(first, run, value) for each VAL opcode of the sparse string `hll` (header
// included), in order, and returns whether the opcodes cover exactly 16384 registers. Stops
// early, returning false, at a VAL that would pass the last register, so `first + run` never
// exceeds kRegisters in a visit. Requires: IsHllString(hll), sparse.
template <typename Visit>
bool ForEachSparseValue(std::string_view hll, Visit visit);

// The dense form of the sparse string `hll`, header copied (cached cardinality and reserved
// bytes included) with the encoding switched to dense. False, leaving `dense` unspecified,
// when the opcodes do not cover exactly 16384 registers.
bool SparseToDense(std::string_view hll, std::string* dense);

enum class SetOutcome : uint8_t {
  kUnchanged,  // the register already held `count` or more
  kUpdated,    // raised; the cached cardinality is marked stale
  kCorrupt,    // the opcodes do not reach the register, or cannot be made dense
};

// Raises register `index` of the sparse string `hll` to `count` if it is lower, splitting
// and merging opcodes as Redis does. Converts `hll` to dense (SparseToDense, then the dense
// write) when `count` exceeds 32 or the edit would take the string past `max_bytes`. On
// kCorrupt, `hll` is unchanged. Requires: IsHllString(hll), sparse; index < kRegisters;
// 1 <= count <= kRegisterMax.
SetOutcome SetSparseRegister(std::string& hll, uint32_t index, uint8_t count, size_t max_bytes);

// PFDEBUG DECODE's text: each opcode as "z:<run>", "Z:<run>" or "v:<value>,<run>",
// space-separated. Requires: IsHllString(hll), sparse.
std::string DescribeSparse(std::string_view hll);

// --- Implementation -------------------------------------------------------------------

namespace sparse_internal {

// One opcode, decoded from its first byte and the next (zero past the end).
struct Opcode {
  enum class Kind : uint8_t { kZero, kXZero, kVal };
  Kind kind = Kind::kZero;
  uint8_t bytes = 1;  // 1, or 2 for XZERO
  uint8_t value = 0;  // VAL only: 1..32
  uint32_t run = 0;   // registers covered
};

inline Opcode DecodeOpcode(std::string_view ops, size_t pos) {
  const auto b = static_cast<uint8_t>(ops[pos]);
  if ((b & 0x80) != 0) {
    return {Opcode::Kind::kVal, 1, static_cast<uint8_t>(((b >> 2) & 0x1f) + 1),
            static_cast<uint32_t>((b & 0x3) + 1)};
  }
  if ((b & 0x40) == 0) return {Opcode::Kind::kZero, 1, 0, static_cast<uint32_t>((b & 0x3f) + 1)};
  const uint32_t low = pos + 1 < ops.size() ? static_cast<uint8_t>(ops[pos + 1]) : 0;
  return {Opcode::Kind::kXZero, 2, 0, ((static_cast<uint32_t>(b & 0x3f) << 8) | low) + 1};
}

}  // namespace sparse_internal

template <typename Visit>
bool ForEachSparseValue(std::string_view hll, Visit visit) {
  using sparse_internal::Opcode;
  uint64_t next_register = 0;
  for (size_t pos = kHeaderSize; pos < hll.size();) {
    const Opcode op = sparse_internal::DecodeOpcode(hll, pos);
    pos += op.bytes;
    if (op.kind == Opcode::Kind::kVal) {
      if (next_register + op.run > kRegisters) return false;
      visit(static_cast<uint32_t>(next_register), op.run, op.value);
    }
    next_register += op.run;
  }
  return next_register == kRegisters;
}

}  // namespace ember::storage::hll
