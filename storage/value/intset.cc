#include "storage/value/intset.h"

#include <cassert>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <utility>

#include "storage/value/chunk_bytes.h"

namespace ember::storage {
namespace {

constexpr size_t kHeaderBytes = 8;

uint32_t LoadU32(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return static_cast<uint32_t>(u[0]) | static_cast<uint32_t>(u[1]) << 8 |
         static_cast<uint32_t>(u[2]) << 16 | static_cast<uint32_t>(u[3]) << 24;
}

void StoreU32(char* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

// Little-endian two's complement of `width` bytes, sign-extended.
int64_t LoadMember(const char* p, size_t width) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  uint64_t v = 0;
  for (size_t i = 0; i < width; ++i) v |= static_cast<uint64_t>(u[i]) << (8 * i);
  if (width < 8) {
    const uint64_t sign = uint64_t{1} << (8 * width - 1);
    if (v & sign) v |= ~((sign << 1) - 1);
  }
  return static_cast<int64_t>(v);
}

void StoreMember(char* p, size_t width, int64_t value) {
  const auto v = static_cast<uint64_t>(value);
  for (size_t i = 0; i < width; ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

// The narrowest width that holds `v`, as Redis's _intsetValueEncoding chooses it.
size_t WidthFor(int64_t v) {
  if (v < INT32_MIN || v > INT32_MAX) return 8;
  if (v < INT16_MIN || v > INT16_MAX) return 4;
  return 2;
}

char* Allocate(size_t bytes) {
  char* p = static_cast<char*>(std::malloc(bytes));
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

char* Reallocate(char* block, size_t bytes) {
  char* p = static_cast<char*>(std::realloc(block, bytes));
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

char* NewEmpty() {
  char* block = Allocate(kHeaderBytes);
  StoreU32(block, 2);
  StoreU32(block + 4, 0);
  return block;
}

}  // namespace

Intset::Intset() : block_(NewEmpty()) {}

// A moved-from Intset holds no block: it may only be destroyed or assigned to (moving must
// not allocate). The destructor and move assignment handle the null block.
Intset::Intset(Intset&& other) noexcept
    : block_(std::exchange(other.block_, nullptr)), owned_(std::exchange(other.owned_, true)) {}

Intset& Intset::operator=(Intset&& other) noexcept {
  if (this != &other) {
    std::swap(block_, other.block_);
    std::swap(owned_, other.owned_);
  }
  return *this;
}

Intset::~Intset() {
  if (owned_) std::free(block_);
}

Intset Intset::Borrow(std::string_view bytes) {
  return Intset(const_cast<char*>(bytes.data()), /*owned=*/false);
}

std::optional<Intset> Intset::FromBytes(std::string_view blob, std::string* error) {
  if (blob.size() < kHeaderBytes) {
    *error = "intset shorter than its 8-byte header (" + std::to_string(blob.size()) + " bytes)";
    return std::nullopt;
  }
  const uint32_t width = LoadU32(blob.data());
  if (width != 2 && width != 4 && width != 8) {
    *error = "intset has invalid encoding width " + std::to_string(width);
    return std::nullopt;
  }
  const uint32_t length = LoadU32(blob.data() + 4);
  const uint64_t expected = kHeaderBytes + uint64_t{length} * width;
  if (expected != blob.size()) {
    *error = "intset size mismatch: " + std::to_string(length) + " members of width " +
             std::to_string(width) + " need " + std::to_string(expected) + " bytes, blob has " +
             std::to_string(blob.size());
    return std::nullopt;
  }
  if (length == 0) {
    *error = "intset is empty";
    return std::nullopt;
  }
  const char* members = blob.data() + kHeaderBytes;
  int64_t prev = LoadMember(members, width);
  for (uint32_t i = 1; i < length; ++i) {
    const int64_t cur = LoadMember(members + size_t{i} * width, width);
    if (cur <= prev) {
      *error = "intset members not strictly ascending at position " + std::to_string(i) + " (" +
               std::to_string(prev) + " then " + std::to_string(cur) + ")";
      return std::nullopt;
    }
    prev = cur;
  }
  Intset out;
  out.block_ = Reallocate(out.block_, blob.size());
  std::memcpy(out.block_, blob.data(), blob.size());
  return out;
}

Intset Intset::Clone() const {
  Intset out;
  const std::string_view b = bytes();
  out.block_ = Reallocate(out.block_, b.size());
  std::memcpy(out.block_, b.data(), b.size());
  return out;
}

void Intset::Assign(std::string_view bytes) {
  assert(owned_);
  block_ = Reallocate(block_, bytes.size());
  std::memcpy(block_, bytes.data(), bytes.size());
}

std::string_view Intset::bytes() const {
  return std::string_view(block_, kHeaderBytes + width() * size());
}

size_t Intset::size() const { return LoadU32(block_ + 4); }

size_t Intset::width() const { return LoadU32(block_); }

size_t Intset::HeapBytes() const {
  return owned_ ? ChunkBytes(kHeaderBytes + width() * size()) : 0;
}

int64_t Intset::At(size_t index) const {
  return LoadMember(block_ + kHeaderBytes + index * width(), width());
}

namespace {

// Binary search over the members: the position of `value`, or where it would be inserted.
struct Search {
  bool found;
  size_t position;
};

Search Find(const Intset& set, int64_t value) {
  size_t lo = 0;
  size_t hi = set.size();
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    const int64_t m = set.At(mid);
    if (m == value) return Search{true, mid};
    if (m < value) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return Search{false, lo};
}

}  // namespace

bool Intset::Contains(int64_t value) const {
  if (WidthFor(value) > width()) return false;
  return Find(*this, value).found;
}

bool Intset::Add(int64_t value) {
  assert(owned_);
  const size_t old_width = width();
  const size_t length = size();
  const size_t needed = WidthFor(value);
  if (needed > old_width) {
    // Why: a value wider than every member is below or above all of them, so the upgrade
    // rewrites the members back to front (never overwriting one not yet read) and leaves the
    // slot at the start (negative value) or the end free, as Redis's intsetUpgradeAndAdd.
    block_ = Reallocate(block_, kHeaderBytes + needed * (length + 1));
    char* members = block_ + kHeaderBytes;
    const size_t shift = value < 0 ? 1 : 0;
    for (size_t i = length; i-- > 0;) {
      StoreMember(members + (i + shift) * needed, needed,
                  LoadMember(members + i * old_width, old_width));
    }
    StoreMember(members + (shift ? 0 : length) * needed, needed, value);
    StoreU32(block_, static_cast<uint32_t>(needed));
    StoreU32(block_ + 4, static_cast<uint32_t>(length + 1));
    return true;
  }
  const Search at = Find(*this, value);
  if (at.found) return false;
  block_ = Reallocate(block_, kHeaderBytes + old_width * (length + 1));
  char* slot = block_ + kHeaderBytes + at.position * old_width;
  std::memmove(slot + old_width, slot, (length - at.position) * old_width);
  StoreMember(slot, old_width, value);
  StoreU32(block_ + 4, static_cast<uint32_t>(length + 1));
  return true;
}

bool Intset::Remove(int64_t value) {
  assert(owned_);
  if (WidthFor(value) > width()) return false;
  const Search at = Find(*this, value);
  if (!at.found) return false;
  const size_t w = width();
  const size_t length = size();
  char* slot = block_ + kHeaderBytes + at.position * w;
  std::memmove(slot, slot + w, (length - at.position - 1) * w);
  StoreU32(block_ + 4, static_cast<uint32_t>(length - 1));
  block_ = Reallocate(block_, kHeaderBytes + w * (length - 1));
  return true;
}

int64_t Intset::Random(std::mt19937_64& rng) const {
  std::uniform_int_distribution<size_t> pick(0, size() - 1);
  return At(pick(rng));
}

}  // namespace ember::storage
