// LEB128 varints for the sizes and counts of packed blocks (packed_list.h, entry.h): 7 bits
// a byte, low bits first, the high bit set on every byte but the last. Stateless.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ember::storage {

constexpr size_t kMaxVarintBytes = 5;  // enough for any uint32_t

constexpr size_t VarintSize(uint32_t value) {
  size_t size = 1;
  while (value >= 0x80) {
    value >>= 7;
    ++size;
  }
  return size;
}

// Writes `value` at `out`; returns the bytes written (VarintSize(value)).
inline size_t WriteVarint(uint32_t value, char* out) {
  size_t i = 0;
  while (value >= 0x80) {
    out[i++] = static_cast<char>((value & 0x7F) | 0x80);
    value >>= 7;
  }
  out[i++] = static_cast<char>(value);
  return i;
}

// Writes `value` at `out` in exactly `width` bytes (>= VarintSize(value)), padding with
// continuation bytes that add zero bits, so a field can change value without changing size.
// ReadVarint reads it back.
inline void WriteVarintPadded(uint32_t value, size_t width, char* out) {
  for (size_t i = 0; i + 1 < width; ++i) {
    out[i] = static_cast<char>((value & 0x7F) | 0x80);
    value >>= 7;
  }
  out[width - 1] = static_cast<char>(value);
}

// Reads the varint at `p` (written by WriteVarint: trusted bytes); `*size` gets its width.
inline uint32_t ReadVarint(const char* p, size_t* size) {
  uint32_t value = 0;
  size_t i = 0;
  for (int shift = 0;; shift += 7, ++i) {
    const auto byte = static_cast<uint8_t>(p[i]);
    value |= static_cast<uint32_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) break;
  }
  *size = i + 1;
  return value;
}

}  // namespace ember::storage
