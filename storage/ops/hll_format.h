// The layout of Redis 7.0's HyperLogLog strings, byte for byte, so that an HLL copied
// between Ember and redis-server (GET/SET, DUMP/RESTORE, RDB, replication) means the same on
// both: the 16-byte header, the hash that maps an element to a register, and the dense
// register array. The sparse opcodes are in hll_sparse.h, the estimator in hll_estimate.h.
//
// Header: "HYLL", one encoding byte (0 dense, 1 sparse), three bytes Redis reserves and
// never checks (kept as found), then the cached cardinality as a little-endian uint64 whose
// top bit set means "stale, recompute".
//
// Dense: 16384 registers of 6 bits, packed least significant bit first: register i holds
// bits 6i..6i+5 of the array read as one little-endian bit string, 12288 bytes in all.
//
// Pure functions on byte buffers; safe on any thread.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ember::storage::hll {

inline constexpr int kIndexBits = 14;  // Redis's HLL_P
inline constexpr uint32_t kRegisters = 1u << kIndexBits;
// Bits of the hash left after the register index: a run of zeros is at most this plus one.
inline constexpr int kRunBits = 64 - kIndexBits;
inline constexpr int kRegisterBits = 6;
inline constexpr uint8_t kRegisterMax = (1u << kRegisterBits) - 1;
inline constexpr size_t kHeaderSize = 16;
inline constexpr size_t kDenseRegisterBytes = kRegisters * kRegisterBits / 8;
inline constexpr size_t kDenseSize = kHeaderSize + kDenseRegisterBytes;
// Where the header's fields sit.
inline constexpr size_t kEncodingOffset = 4;
inline constexpr size_t kCardinalityOffset = 8;
inline constexpr uint8_t kStaleBit = 0x80;  // in the cardinality's last byte
// MurmurHash64A's seed as Redis calls it.
inline constexpr uint64_t kHashSeed = 0xadc83b19ULL;

enum class Encoding : uint8_t { kDense = 0, kSparse = 1 };

// Redis's MurmurHash64A (MurmurHash2, 64-bit), reading 8-byte words little-endian whatever
// the host's byte order.
uint64_t MurmurHash64A(std::string_view data, uint64_t seed);

// Where an element lands: its register and the length of the run of zeros, plus the final
// one, that its hash shows past the index bits (1..kRunBits + 1).
struct Observation {
  uint32_t index = 0;
  uint8_t count = 0;
};
Observation Observe(std::string_view element);

// Whether `bytes` pass Redis's check of an HLL string: at least a header, the magic, a known
// encoding, and for dense exactly kDenseSize bytes. The sparse opcodes are not checked here;
// a string that fails is answered with the HyperLogLog flavour of WRONGTYPE.
bool IsHllString(std::string_view bytes);
// Requires: IsHllString(bytes).
inline Encoding EncodingOf(std::string_view bytes) {
  return static_cast<Encoding>(bytes[kEncodingOffset]);
}

// The cached cardinality, or nullopt when marked stale. Requires: IsHllString(bytes).
std::optional<uint64_t> CachedCardinality(std::string_view bytes);
// The 8 bytes that cache `cardinality` (little-endian, stale bit clear for any estimate).
std::array<char, 8> CardinalityBytes(uint64_t cardinality);
// Marks the cached cardinality stale. Requires: hll.size() >= kHeaderSize.
inline void MarkStale(std::string& hll) { hll[kHeaderSize - 1] |= static_cast<char>(kStaleBit); }

// A new, empty HLL as PFADD and PFMERGE create it: sparse, one opcode covering every
// register, cardinality 0 cached.
std::string NewSparseHll();

// The dense register `index` of `registers` (the kDenseRegisterBytes after the header).
inline uint8_t DenseRegister(const uint8_t* registers, uint32_t index) {
  const size_t byte = size_t{index} * kRegisterBits / 8;
  const unsigned shift = (index * kRegisterBits) & 7;
  unsigned bits = registers[byte] >> shift;
  // A register starting at bit 0 or 2 of its byte ends there: the next byte is not read,
  // which keeps the last register's read inside the array.
  if (shift > 8 - kRegisterBits) bits |= static_cast<unsigned>(registers[byte + 1]) << (8 - shift);
  return static_cast<uint8_t>(bits & kRegisterMax);
}

// Writes `value` (<= kRegisterMax) into the register whose bits start at bit `shift` (0, 2, 4
// or 6) of `window[0]`, touching window[1] only when the register reaches into it.
void PutRegisterBits(uint8_t* window, unsigned shift, uint8_t value);

inline void SetDenseRegister(uint8_t* registers, uint32_t index, uint8_t value) {
  PutRegisterBits(registers + size_t{index} * kRegisterBits / 8, (index * kRegisterBits) & 7,
                  value);
}

// The bytes of the dense array that register `index` occupies: its first byte's offset in
// the array, and 1 or 2.
struct RegisterSpan {
  size_t offset = 0;
  size_t length = 0;
};
inline RegisterSpan DenseRegisterSpan(uint32_t index) {
  const unsigned shift = (index * kRegisterBits) & 7;
  return {size_t{index} * kRegisterBits / 8, shift > 8 - kRegisterBits ? size_t{2} : size_t{1}};
}

}  // namespace ember::storage::hll
