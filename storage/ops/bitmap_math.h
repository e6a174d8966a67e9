// Bit arithmetic on byte strings read as Redis's bitmaps: the pure part of SETBIT, GETBIT,
// BITCOUNT, BITPOS, BITOP and BITFIELD, with no keyspace access (bitmap_ops.h does that).
//
// Bit order: bit 0 is the most significant bit of byte 0, so bit n is bit 7 - n % 8 of byte
// n / 8, and a field of several bits reads big-endian across byte boundaries. Reads past the
// end of a string see zero bits, as Redis treats every string as zero-padded on the right.
//
// Pure functions; safe on any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace ember::storage::bitmap {

// Bit `offset` of `bytes`; false past the end.
bool BitAt(std::string_view bytes, uint64_t offset);

// Set bits of `bytes`, counted a 64-bit word at a time.
uint64_t PopCount(std::string_view bytes);

// An inclusive range of bit positions.
struct BitRange {
  uint64_t first = 0;
  uint64_t last = 0;
};

// Redis's start/end rule for BITCOUNT and BITPOS over a string of `length` bytes: `start`
// and `end` count bytes (or bits when `in_bits`), negative ones from the end; both are
// clamped to the string. Returns the bits covered, nullopt when the range is empty.
std::optional<BitRange> ResolveRange(uint64_t length, int64_t start, int64_t end, bool in_bits);

// Set bits within `range`. Requires: range.first <= range.last < 8 * bytes.size().
uint64_t CountOnes(std::string_view bytes, BitRange range);

// Position of the first bit equal to `bit` within `range`, nullopt when there is none.
// Skips whole words of non-matching bits. Requires: as CountOnes.
std::optional<uint64_t> FindFirst(std::string_view bytes, bool bit, BitRange range);

enum class BitOperation { kAnd, kOr, kXor, kNot };

// BITOP's result: as long as the longest input, shorter inputs read as zero-padded. kNot
// takes exactly one input.
std::string Combine(BitOperation op, std::span<const std::string_view> inputs);

// BITFIELD's integers: `bits` wide (1..64), at any bit offset.

// The `bits`-bit unsigned field at `offset` (zero bits past the end).
uint64_t ReadField(std::string_view bytes, uint64_t offset, unsigned bits);
// Writes the low `bits` bits of `value` at `offset`. Requires: offset + bits <= 8 * size.
void WriteField(std::span<char> bytes, uint64_t offset, unsigned bits, uint64_t value);
// `raw` read as a two's complement `bits`-bit integer.
int64_t SignExtend(uint64_t raw, unsigned bits);
// Bytes a field at `offset` of `bits` spans, starting at byte offset / 8 (at most 9).
unsigned FieldSpan(uint64_t offset, unsigned bits);

enum class Overflow { kWrap, kSat, kFail };

// The outcome of storing value + increment in a field. `overflowed`: the sum does not fit;
// `stored`: what to store then (wrapped or saturated; meaningless under kFail), else the sum.
struct FieldSum {
  bool overflowed = false;
  uint64_t stored = 0;
};

// Redis's checkSignedBitfieldOverflow / checkUnsignedBitfieldOverflow, quirks included: a
// SET is an increment of 0 on the new value, so SET u8 -1 saturates to 255, and a signed
// value at the very bottom of int64 saturates to the field's maximum.
FieldSum AddSigned(int64_t value, int64_t increment, unsigned bits, Overflow mode);
FieldSum AddUnsigned(uint64_t value, int64_t increment, unsigned bits, Overflow mode);

}  // namespace ember::storage::bitmap
