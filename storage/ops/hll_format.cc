#include "storage/ops/hll_format.h"

#include <bit>

namespace ember::storage::hll {
namespace {

uint64_t LoadLittleEndian(const uint8_t* p, size_t n) {
  uint64_t value = 0;
  for (size_t i = 0; i < n; ++i) value |= static_cast<uint64_t>(p[i]) << (8 * i);
  return value;
}

}  // namespace

uint64_t MurmurHash64A(std::string_view data, uint64_t seed) {
  constexpr uint64_t kMul = 0xc6a4a7935bd1e995ULL;
  constexpr int kShift = 47;
  const auto* p = reinterpret_cast<const uint8_t*>(data.data());
  const size_t len = data.size();
  // Redis takes the length as an int: the product wraps as Redis's does for any length
  // a command can carry.
  uint64_t h = seed ^ (static_cast<uint64_t>(static_cast<int>(len)) * kMul);
  const size_t words = len / 8;
  for (size_t i = 0; i < words; ++i) {
    uint64_t k = LoadLittleEndian(p + 8 * i, 8);
    k *= kMul;
    k ^= k >> kShift;
    k *= kMul;
    h ^= k;
    h *= kMul;
  }
  const size_t tail = len & 7;
  if (tail != 0) {
    h ^= LoadLittleEndian(p + 8 * words, tail);
    h *= kMul;
  }
  h ^= h >> kShift;
  h *= kMul;
  h ^= h >> kShift;
  return h;
}

Observation Observe(std::string_view element) {
  const uint64_t hash = MurmurHash64A(element, kHashSeed);
  // A sentinel bit past the last usable one bounds the run at kRunBits + 1.
  const uint64_t rest = (hash >> kIndexBits) | (uint64_t{1} << kRunBits);
  return {static_cast<uint32_t>(hash & (kRegisters - 1)),
          static_cast<uint8_t>(std::countr_zero(rest) + 1)};
}

bool IsHllString(std::string_view bytes) {
  if (bytes.size() < kHeaderSize || bytes.substr(0, 4) != "HYLL") return false;
  const auto encoding = static_cast<uint8_t>(bytes[kEncodingOffset]);
  if (encoding > static_cast<uint8_t>(Encoding::kSparse)) return false;
  return encoding != static_cast<uint8_t>(Encoding::kDense) || bytes.size() == kDenseSize;
}

std::optional<uint64_t> CachedCardinality(std::string_view bytes) {
  const auto* card = reinterpret_cast<const uint8_t*>(bytes.data() + kCardinalityOffset);
  if ((card[7] & kStaleBit) != 0) return std::nullopt;
  return LoadLittleEndian(card, 8);
}

std::array<char, 8> CardinalityBytes(uint64_t cardinality) {
  std::array<char, 8> out{};
  for (size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<char>((cardinality >> (8 * i)) & 0xff);
  }
  return out;
}

std::string NewSparseHll() {
  std::string hll(kHeaderSize, '\0');
  hll.replace(0, 4, "HYLL");
  hll[kEncodingOffset] = static_cast<char>(Encoding::kSparse);
  // One XZERO opcode of 16384 registers: 01 followed by 16383 in 14 bits.
  hll.push_back(static_cast<char>(0x40 | ((kRegisters - 1) >> 8)));
  hll.push_back(static_cast<char>((kRegisters - 1) & 0xff));
  return hll;
}

void PutRegisterBits(uint8_t* window, unsigned shift, uint8_t value) {
  const unsigned v = value;
  window[0] = static_cast<uint8_t>((window[0] & ~(kRegisterMax << shift)) | (v << shift));
  if (shift > 8 - kRegisterBits) {
    const unsigned high = 8 - shift;
    window[1] = static_cast<uint8_t>((window[1] & ~(kRegisterMax >> high)) | (v >> high));
  }
}

}  // namespace ember::storage::hll
