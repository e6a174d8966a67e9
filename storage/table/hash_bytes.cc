#include "storage/table/hash_bytes.h"

#include <cstring>
#include <random>

namespace ember::storage {
namespace {

// A per-process random seed makes bucket positions unpredictable to clients, so crafted
// keys cannot pile into one chain. Initialised once at startup and never written again.
const uint64_t kHashSeed = [] {
  std::random_device device;
  return (static_cast<uint64_t>(device()) << 32) ^ device();
}();

constexpr uint64_t kMul0 = 0xa0761d6478bd642fULL;
constexpr uint64_t kMul1 = 0xe7037ed1a0b428dbULL;
constexpr uint64_t kMul2 = 0x8ebc6af09c88c6e3ULL;

// 64x64 -> 128-bit multiply, folded: the core mixing step of wyhash-style hashes.
uint64_t MulFold(uint64_t a, uint64_t b) {
  __extension__ using Wide = unsigned __int128;
  Wide product = static_cast<Wide>(a) * b;
  return static_cast<uint64_t>(product) ^ static_cast<uint64_t>(product >> 64);
}

uint64_t Read64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}

// Up to 8 trailing bytes, zero-extended.
uint64_t ReadTail(const char* p, size_t n) {
  uint64_t v = 0;
  std::memcpy(&v, p, n);
  return v;
}

}  // namespace

uint64_t HashSeed() { return kHashSeed; }

uint64_t HashBytes(std::string_view key) {
  const char* p = key.data();
  size_t n = key.size();
  uint64_t state = kHashSeed ^ MulFold(n ^ kMul0, kMul1);
  while (n >= 16) {
    state = MulFold(Read64(p) ^ kMul0, Read64(p + 8) ^ state);
    p += 16;
    n -= 16;
  }
  uint64_t a = 0;
  uint64_t b = 0;
  if (n > 8) {
    a = Read64(p);
    b = ReadTail(p + 8, n - 8);
  } else {
    a = ReadTail(p, n);
  }
  state = MulFold(a ^ kMul1, b ^ state ^ kMul2);
  return MulFold(state ^ kMul0, key.size() ^ kMul2);
}

}  // namespace ember::storage
