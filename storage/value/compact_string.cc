#include "storage/value/compact_string.h"

#include <cassert>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>

#include "storage/value/number_format.h"

namespace ember::storage {
namespace {

// meta_ bits: [0, 2) encoding (kEncodingMask), [2, 6) inline length.
constexpr int kLengthShift = 2;
constexpr uint8_t kLengthMask = 0x0f;

constexpr size_t kCapacityHeader = sizeof(uint32_t);
constexpr size_t kMaxLength = std::numeric_limits<uint32_t>::max();
// Geometric growth doubles up to 1 MiB and then adds 1 MiB at a time (as Redis's sds does),
// so huge strings do not reserve as much slack as they hold.
constexpr size_t kMaxDoublingLength = 1024 * 1024;

size_t GreedyCapacity(size_t length) {
  size_t capacity = length < kMaxDoublingLength ? length * 2 : length + kMaxDoublingLength;
  return capacity > kMaxLength ? kMaxLength : capacity;
}

char* AllocateBlock(size_t capacity) {
  assert(capacity <= kMaxLength);
  char* block = static_cast<char*>(std::malloc(kCapacityHeader + capacity));
  if (block == nullptr) throw std::bad_alloc();
  uint32_t cap32 = static_cast<uint32_t>(capacity);
  std::memcpy(block, &cap32, sizeof(cap32));
  return block;
}

size_t BlockCapacity(const char* block) {
  uint32_t capacity;
  std::memcpy(&capacity, block, sizeof(capacity));
  return capacity;
}

}  // namespace

CompactString::CompactString(std::string_view s) { Assign(s); }

CompactString CompactString::FromValue(std::string_view s) {
  CompactString out;
  out.AssignValue(s);
  return out;
}

void CompactString::AssignValue(std::string_view s) {
  if (auto value = ParseInt64(s)) {
    AssignInteger(*value);
  } else {
    Assign(s);
  }
}

CompactString CompactString::FromInteger(int64_t value) {
  CompactString out;
  out.AssignInteger(value);
  return out;
}

CompactString::CompactString(CompactString&& other) noexcept : meta_(other.meta_) {
  std::memcpy(bytes_, other.bytes_, sizeof(bytes_));
  other.ResetMovedFrom();
}

CompactString& CompactString::operator=(CompactString&& other) noexcept {
  if (this != &other) {
    Release();
    std::memcpy(bytes_, other.bytes_, sizeof(bytes_));
    meta_ = other.meta_;
    other.ResetMovedFrom();
  }
  return *this;
}

CompactString::~CompactString() { Release(); }

void CompactString::ResetMovedFrom() { meta_ = 0; }

CompactString CompactString::Clone() const {
  CompactString out;
  if (is_integer()) {
    out.AssignInteger(integer());
  } else {
    out.Assign(BytesView());
  }
  return out;
}

CompactString::Encoding CompactString::encoding() const {
  return static_cast<Encoding>(meta_ & kEncodingMask);
}

int64_t CompactString::integer() const {
  assert(is_integer());
  int64_t value;
  std::memcpy(&value, bytes_, sizeof(value));
  return value;
}

size_t CompactString::size() const {
  switch (encoding()) {
    case Encoding::kInline:
      return inline_length();
    case Encoding::kHeap:
      return heap_length();
    case Encoding::kInteger: {
      NumberBuffer scratch;
      return FormatInt64(integer(), scratch.data);
    }
  }
  return 0;
}

std::string_view CompactString::View(NumberBuffer& scratch) const {
  if (is_integer()) return std::string_view(scratch.data, FormatInt64(integer(), scratch.data));
  return BytesView();
}

std::string_view CompactString::BytesView() const {
  assert(!is_integer());
  if (encoding() == Encoding::kHeap)
    return std::string_view(heap_block() + kCapacityHeader, heap_length());
  return std::string_view(bytes_, inline_length());
}

void CompactString::AppendTo(std::string* out) const {
  NumberBuffer scratch;
  out->append(View(scratch));
}

bool CompactString::Equals(std::string_view s) const {
  NumberBuffer scratch;
  return View(scratch) == s;
}

void CompactString::Assign(std::string_view s) {
  assert(s.size() <= kMaxLength);
  if (s.size() <= kInlineCapacity) {
    // `s` may point into our own heap block: copy it out before releasing the block.
    // (memcpy with an empty view's null pointer is undefined, hence the guards.)
    char copy[kInlineCapacity];
    if (!s.empty()) std::memcpy(copy, s.data(), s.size());
    Release();
    if (!s.empty()) std::memcpy(bytes_, copy, s.size());
    SetMeta(Encoding::kInline, s.size());
    return;
  }
  if (encoding() == Encoding::kHeap) {
    char* block = heap_block();
    size_t capacity = BlockCapacity(block);
    // Reuse the block unless it would stay more than half empty.
    if (capacity >= s.size() && capacity / 2 <= s.size()) {
      std::memmove(block + kCapacityHeader, s.data(), s.size());
      SetHeap(block, s.size());
      return;
    }
  }
  char* block = AllocateBlock(s.size());
  std::memcpy(block + kCapacityHeader, s.data(), s.size());
  Release();
  SetHeap(block, s.size());
}

void CompactString::AssignInteger(int64_t value) {
  Release();
  std::memcpy(bytes_, &value, sizeof(value));
  SetMeta(Encoding::kInteger, 0);
}

void CompactString::Append(std::string_view s) {
  if (s.empty() && !is_integer()) return;
  std::string aliased;
  if (encoding() == Encoding::kHeap) {
    const char* data = heap_block() + kCapacityHeader;
    if (s.data() >= data && s.data() < data + heap_length()) {
      aliased.assign(s);  // growing may move the block `s` points into
      s = aliased;
    }
  }
  size_t old_size = size();
  char* data = Resize(old_size + s.size());
  if (!s.empty()) std::memcpy(data + old_size, s.data(), s.size());
}

void CompactString::WriteAt(size_t offset, std::string_view s) {
  if (s.empty()) return;
  std::string aliased;
  if (encoding() == Encoding::kHeap) {
    const char* data = heap_block() + kCapacityHeader;
    if (s.data() >= data && s.data() < data + heap_length()) {
      aliased.assign(s);
      s = aliased;
    }
  }
  size_t old_size = size();
  size_t new_size = offset + s.size() > old_size ? offset + s.size() : old_size;
  char* data = Resize(new_size);
  if (offset > old_size) std::memset(data + old_size, 0, offset - old_size);
  std::memcpy(data + offset, s.data(), s.size());
}

size_t CompactString::HeapBytes() const {
  if (encoding() != Encoding::kHeap) return 0;
  return kCapacityHeader + BlockCapacity(heap_block());
}

void CompactString::Release() {
  if (encoding() == Encoding::kHeap) std::free(heap_block());
  SetMeta(Encoding::kInline, 0);
}

void CompactString::SetMeta(Encoding encoding, size_t inline_length) {
  assert(inline_length <= kInlineCapacity);
  meta_ = static_cast<uint8_t>(static_cast<uint8_t>(encoding) | (inline_length << kLengthShift));
}

size_t CompactString::inline_length() const { return (meta_ >> kLengthShift) & kLengthMask; }

const void* CompactString::heap_address() const {
  return encoding() == Encoding::kHeap ? heap_block() : nullptr;
}

char* CompactString::heap_block() const {
  char* block;
  std::memcpy(&block, bytes_, sizeof(block));
  return block;
}

size_t CompactString::heap_length() const {
  uint32_t length;
  std::memcpy(&length, bytes_ + sizeof(char*), sizeof(length));
  return length;
}

void CompactString::SetHeap(char* block, size_t length) {
  uint32_t length32 = static_cast<uint32_t>(length);
  std::memcpy(bytes_, &block, sizeof(block));
  std::memcpy(bytes_ + sizeof(char*), &length32, sizeof(length32));
  SetMeta(Encoding::kHeap, 0);
}

char* CompactString::Resize(size_t new_size) {
  assert(new_size <= kMaxLength);
  if (encoding() == Encoding::kHeap) {
    char* block = heap_block();
    if (BlockCapacity(block) < new_size) {
      size_t capacity = GreedyCapacity(new_size);
      char* grown = static_cast<char*>(std::realloc(block, kCapacityHeader + capacity));
      if (grown == nullptr) throw std::bad_alloc();
      block = grown;
      uint32_t cap32 = static_cast<uint32_t>(capacity);
      std::memcpy(block, &cap32, sizeof(cap32));
    }
    SetHeap(block, new_size);
    return block + kCapacityHeader;
  }
  // Inline or integer: take the current bytes out first, since both live in bytes_.
  NumberBuffer scratch;
  std::string_view current = View(scratch);
  char copy[sizeof(NumberBuffer)];
  std::memcpy(copy, current.data(), current.size());
  size_t old_size = current.size();
  if (new_size <= kInlineCapacity) {
    std::memcpy(bytes_, copy, old_size);
    SetMeta(Encoding::kInline, new_size);
    return bytes_;
  }
  char* block = AllocateBlock(GreedyCapacity(new_size));
  std::memcpy(block + kCapacityHeader, copy, old_size);
  SetHeap(block, new_size);
  return block + kCapacityHeader;
}

}  // namespace ember::storage
