// The reverse-binary SCAN cursor Redis's dictScan uses, shared by every table that offers
// SCAN: the cursor's bits are incremented from the most significant end, so a bucket visited
// in a small table maps to the buckets it splits into in a larger one (and back), and every
// element present for a whole scan is returned at least once across resizes.
#pragma once

#include <bit>
#include <cstdint>

namespace ember::storage {

inline uint64_t ReverseBits(uint64_t v) {
  v = ((v >> 1) & 0x5555555555555555ULL) | ((v & 0x5555555555555555ULL) << 1);
  v = ((v >> 2) & 0x3333333333333333ULL) | ((v & 0x3333333333333333ULL) << 2);
  v = ((v >> 4) & 0x0f0f0f0f0f0f0f0fULL) | ((v & 0x0f0f0f0f0f0f0f0fULL) << 4);
  return __builtin_bswap64(v);
}

// The cursor after `cursor` in a table of mask + 1 buckets; 0 when the scan is complete.
inline uint64_t NextScanCursor(uint64_t cursor, uint64_t mask) {
  cursor |= ~mask;
  cursor = ReverseBits(cursor);
  ++cursor;
  return ReverseBits(cursor);
}

// The cursor `steps` calls of NextScanCursor after `cursor` in a table of mask + 1
// buckets, wrapping past the end to the start: where a walk will be, for prefetch hints.
inline uint64_t ScanCursorAhead(uint64_t cursor, uint64_t mask, uint64_t steps) {
  if (mask == 0) return 0;
  // Reversed, the cursor's bits count up from the top: one step adds this unit.
  const uint64_t unit = uint64_t{1} << (64 - std::popcount(mask));
  return ReverseBits(ReverseBits(cursor & mask) + steps * unit);
}

}  // namespace ember::storage
