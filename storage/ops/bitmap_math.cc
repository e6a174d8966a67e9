#include "storage/ops/bitmap_math.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cstring>

namespace ember::storage::bitmap {
namespace {

constexpr uint64_t kAllOnes = ~uint64_t{0};

uint8_t ByteAt(std::string_view bytes, uint64_t index) {
  return index < bytes.size() ? static_cast<uint8_t>(bytes[index]) : 0;
}

uint64_t LoadWord(const char* p) {
  uint64_t word;
  std::memcpy(&word, p, sizeof(word));
  return word;
}

void StoreWord(char* p, uint64_t word) { std::memcpy(p, &word, sizeof(word)); }

// The set bits of `words` 64-bit words from `p`, four running sums so the additions do not
// wait on each other. Always inlined, so each caller below compiles it for its own target.
[[gnu::always_inline]] inline uint64_t CountWords(const char* p, size_t words) {
  uint64_t sums[4] = {0, 0, 0, 0};
  size_t i = 0;
  for (; i + 4 <= words; i += 4) {
    for (size_t k = 0; k < 4; ++k) {
      sums[k] += static_cast<uint64_t>(std::popcount(LoadWord(p + (i + k) * sizeof(uint64_t))));
    }
  }
  for (; i < words; ++i) {
    sums[0] += static_cast<uint64_t>(std::popcount(LoadWord(p + i * sizeof(uint64_t))));
  }
  return sums[0] + sums[1] + sums[2] + sums[3];
}

#if defined(__x86_64__)
// The same loop where the compiler may use the POPCNT instruction: without it (the x86-64
// baseline Debian builds for) std::popcount of a word is a libgcc call, and BITCOUNT of
// 1 MB took 1.75 times Redis's CPU.
__attribute__((target("popcnt"))) uint64_t CountWordsPopcnt(const char* p, size_t words) {
  return CountWords(p, words);
}

uint64_t PopCountWords(const char* p, size_t words) {
  static const bool has_popcnt = __builtin_cpu_supports("popcnt");
  return has_popcnt ? CountWordsPopcnt(p, words) : CountWords(p, words);
}
#else
uint64_t PopCountWords(const char* p, size_t words) { return CountWords(p, words); }
#endif

// The low `bits` bits set (bits 1..64).
uint64_t LowMask(unsigned bits) { return bits >= 64 ? kAllOnes : (uint64_t{1} << bits) - 1; }

// Applies `op` to `acc` and `byte_or_word`; the same bitwise rule for bytes and words.
template <typename T>
T Apply(BitOperation op, T acc, T next) {
  switch (op) {
    case BitOperation::kAnd:
      return acc & next;
    case BitOperation::kOr:
      return acc | next;
    case BitOperation::kXor:
      return acc ^ next;
    case BitOperation::kNot:
      break;
  }
  return acc;
}

}  // namespace

bool BitAt(std::string_view bytes, uint64_t offset) {
  return ((ByteAt(bytes, offset >> 3) >> (7 - (offset & 7))) & 1) != 0;
}

uint64_t PopCount(std::string_view bytes) {
  const size_t words = bytes.size() / sizeof(uint64_t);
  uint64_t count = PopCountWords(bytes.data(), words);
  for (size_t i = words * sizeof(uint64_t); i < bytes.size(); ++i) {
    count += static_cast<uint64_t>(std::popcount(static_cast<uint8_t>(bytes[i])));
  }
  return count;
}

std::optional<BitRange> ResolveRange(uint64_t length, int64_t start, int64_t end, bool in_bits) {
  // A string is at most 4 GiB, so its length in bits fits an int64 with room to spare.
  const auto total = static_cast<int64_t>(in_bits ? length * 8 : length);
  if (start < 0) start += total;
  if (end < 0) end += total;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= total) end = total - 1;
  if (start > end) return std::nullopt;
  if (in_bits) return BitRange{static_cast<uint64_t>(start), static_cast<uint64_t>(end)};
  return BitRange{static_cast<uint64_t>(start) * 8, static_cast<uint64_t>(end) * 8 + 7};
}

uint64_t CountOnes(std::string_view bytes, BitRange range) {
  assert(range.first <= range.last && (range.last >> 3) < bytes.size());
  const uint64_t first_byte = range.first >> 3;
  const uint64_t last_byte = range.last >> 3;
  uint64_t count = PopCount(bytes.substr(first_byte, last_byte - first_byte + 1));
  // Whole bytes were counted; take back the bits before `first` and after `last`.
  const auto before = static_cast<uint8_t>(~(0xffu >> (range.first & 7)));
  const auto after = static_cast<uint8_t>(0xffu >> ((range.last & 7) + 1));
  count -= static_cast<uint64_t>(
      std::popcount(static_cast<uint8_t>(ByteAt(bytes, first_byte) & before)));
  count -=
      static_cast<uint64_t>(std::popcount(static_cast<uint8_t>(ByteAt(bytes, last_byte) & after)));
  return count;
}

std::optional<uint64_t> FindFirst(std::string_view bytes, bool bit, BitRange range) {
  assert(range.first <= range.last && (range.last >> 3) < bytes.size());
  uint64_t pos = range.first;
  for (; pos <= range.last && (pos & 7) != 0; ++pos) {
    if (BitAt(bytes, pos) == bit) return pos;
  }
  // Whole bytes inside the range: skip those holding no match, a word at a time.
  const uint64_t end_byte = (range.last + 1) >> 3;
  const uint64_t skip_word = bit ? 0 : kAllOnes;
  const char skip_byte = static_cast<char>(bit ? 0x00 : 0xff);
  uint64_t byte = pos >> 3;
  while (byte + sizeof(uint64_t) <= end_byte && LoadWord(bytes.data() + byte) == skip_word) {
    byte += sizeof(uint64_t);
  }
  while (byte < end_byte && bytes[byte] == skip_byte) ++byte;
  for (pos = std::max(pos, byte << 3); pos <= range.last; ++pos) {
    if (BitAt(bytes, pos) == bit) return pos;
  }
  return std::nullopt;
}

std::string Combine(BitOperation op, std::span<const std::string_view> inputs) {
  assert(!inputs.empty() && (op != BitOperation::kNot || inputs.size() == 1));
  size_t max_len = 0;
  size_t min_len = inputs[0].size();
  for (std::string_view input : inputs) {
    max_len = std::max(max_len, input.size());
    min_len = std::min(min_len, input.size());
  }
  std::string out(max_len, '\0');
  // Words while every input has bytes, then byte by byte with missing bytes as zero.
  size_t i = 0;
  for (; i + sizeof(uint64_t) <= min_len; i += sizeof(uint64_t)) {
    uint64_t acc = LoadWord(inputs[0].data() + i);
    if (op == BitOperation::kNot) acc = ~acc;
    for (size_t k = 1; k < inputs.size(); ++k) acc = Apply(op, acc, LoadWord(inputs[k].data() + i));
    StoreWord(out.data() + i, acc);
  }
  for (; i < max_len; ++i) {
    auto acc = ByteAt(inputs[0], i);
    if (op == BitOperation::kNot) acc = static_cast<uint8_t>(~acc);
    for (size_t k = 1; k < inputs.size(); ++k) acc = Apply(op, acc, ByteAt(inputs[k], i));
    out[i] = static_cast<char>(acc);
  }
  return out;
}

uint64_t ReadField(std::string_view bytes, uint64_t offset, unsigned bits) {
  assert(bits >= 1 && bits <= 64);
  // The 64 bits starting at `offset`, then the top `bits` of them.
  const uint64_t first = offset >> 3;
  const unsigned shift = offset & 7;
  uint64_t word = 0;
  for (unsigned i = 0; i < 8; ++i) word = (word << 8) | ByteAt(bytes, first + i);
  if (shift != 0) word = (word << shift) | (ByteAt(bytes, first + 8) >> (8 - shift));
  return word >> (64 - bits);
}

void WriteField(std::span<char> bytes, uint64_t offset, unsigned bits, uint64_t value) {
  assert(bits >= 1 && bits <= 64 && offset + bits <= bytes.size() * 8);
  for (unsigned i = 0; i < bits; ++i) {
    const uint64_t pos = offset + i;
    const auto mask = static_cast<uint8_t>(0x80u >> (pos & 7));
    auto byte = static_cast<uint8_t>(bytes[pos >> 3]);
    const bool set = ((value >> (bits - 1 - i)) & 1) != 0;
    byte = set ? static_cast<uint8_t>(byte | mask) : static_cast<uint8_t>(byte & ~mask);
    bytes[pos >> 3] = static_cast<char>(byte);
  }
}

int64_t SignExtend(uint64_t raw, unsigned bits) {
  if (bits < 64 && ((raw >> (bits - 1)) & 1) != 0) raw |= ~LowMask(bits);
  return static_cast<int64_t>(raw);
}

unsigned FieldSpan(uint64_t offset, unsigned bits) {
  return static_cast<unsigned>(((offset & 7) + bits + 7) / 8);
}

// Both checks follow Redis's arithmetic exactly, including the wrap-around of its limit
// differences (computed here in uint64_t, where C's signed overflow is undefined), because
// which branch a SET of an extreme value takes decides what SAT stores.
FieldSum AddSigned(int64_t value, int64_t increment, unsigned bits, Overflow mode) {
  const int64_t max = bits == 64 ? INT64_MAX : static_cast<int64_t>(LowMask(bits - 1));
  const int64_t min = -max - 1;
  const auto max_incr =
      static_cast<int64_t>(static_cast<uint64_t>(max) - static_cast<uint64_t>(value));
  const auto min_incr =
      static_cast<int64_t>(static_cast<uint64_t>(min) - static_cast<uint64_t>(value));
  const uint64_t sum = static_cast<uint64_t>(value) + static_cast<uint64_t>(increment);
  const bool narrow = bits != 64;
  const bool over = value > max || (narrow && increment > max_incr) ||
                    (value >= 0 && increment > 0 && increment > max_incr);
  const bool under = !over && (value < min || (narrow && increment < min_incr) ||
                               (value < 0 && increment < 0 && increment < min_incr));
  if (!over && !under) return {false, sum};
  if (mode == Overflow::kSat) return {true, static_cast<uint64_t>(over ? max : min)};
  if (mode == Overflow::kFail) return {true, 0};
  return {true, static_cast<uint64_t>(SignExtend(sum & LowMask(bits), bits))};
}

FieldSum AddUnsigned(uint64_t value, int64_t increment, unsigned bits, Overflow mode) {
  const uint64_t max = LowMask(bits);
  const auto max_incr = static_cast<int64_t>(max - value);
  const auto min_incr = static_cast<int64_t>(uint64_t{0} - value);
  const uint64_t sum = value + static_cast<uint64_t>(increment);
  const bool over = value > max || (increment > 0 && increment > max_incr);
  const bool under = !over && increment < 0 && increment < min_incr;
  if (!over && !under) return {false, sum};
  if (mode == Overflow::kSat) return {true, over ? max : 0};
  if (mode == Overflow::kFail) return {true, 0};
  return {true, sum & max};
}

}  // namespace ember::storage::bitmap
