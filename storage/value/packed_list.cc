#include "storage/value/packed_list.h"

#include <cassert>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <utility>

#include "storage/value/chunk_bytes.h"
#include "storage/value/listpack_codec.h"
#include "storage/value/number_format.h"
#include "storage/value/varint.h"

namespace ember::storage {
namespace {

const unsigned char* U(const char* p) { return reinterpret_cast<const unsigned char*>(p); }

// Whether `value` views bytes inside [block, block + size): it must be copied before the
// block moves.
bool Aliases(std::string_view value, const char* block, size_t size) {
  const auto v = reinterpret_cast<uintptr_t>(value.data());
  const auto b = reinterpret_cast<uintptr_t>(block);
  return !value.empty() && v >= b && v < b + size;
}

size_t PackedEntrySize(const listpack::EncodedEntry& entry) {
  return entry.head_size + entry.data.size();
}

void WritePackedEntry(const listpack::EncodedEntry& entry, char* out) {
  std::memcpy(out, entry.head, entry.head_size);
  if (!entry.data.empty()) std::memcpy(out + entry.head_size, entry.data.data(), entry.data.size());
}

}  // namespace

PackedList::PackedList(PackedList&& other) noexcept
    : block_(std::exchange(other.block_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      count_(std::exchange(other.count_, 0)),
      capacity_(std::exchange(other.capacity_, 0)),
      owned_(std::exchange(other.owned_, true)),
      attached_(std::exchange(other.attached_, false)) {}

PackedList& PackedList::operator=(PackedList&& other) noexcept {
  if (this != &other) {
    std::swap(block_, other.block_);
    std::swap(size_, other.size_);
    std::swap(count_, other.count_);
    std::swap(capacity_, other.capacity_);
    std::swap(owned_, other.owned_);
    std::swap(attached_, other.attached_);
  }
  return *this;
}

PackedList::~PackedList() {
  if (owned_ && !attached_) std::free(block_);
}

PackedList PackedList::Borrow(std::string_view bytes) {
  PackedList out;
  out.owned_ = false;
  if (bytes.empty()) return out;
  out.block_ = const_cast<char*>(bytes.data());
  out.size_ = static_cast<uint32_t>(bytes.size());
  size_t header = 0;
  out.count_ = ReadVarint(bytes.data(), &header);
  return out;
}

PackedList PackedList::FromListpack(const Listpack& listpack) {
  PackedList out;
  for (size_t at = listpack.First(); at != Listpack::kNoEntry; at = listpack.Next(at)) {
    NumberBuffer scratch;
    out.Append(listpack.Get(at).View(scratch));
  }
  return out;
}

Listpack PackedList::ToListpack() const {
  Listpack out;
  for (size_t at = First(); at != kNoEntry; at = Next(at)) {
    const Element e = Get(at);
    if (e.is_integer) {
      out.AppendInteger(e.integer);
    } else {
      out.Append(e.bytes);
    }
  }
  return out;
}

PackedList PackedList::Clone() const {
  PackedList out;
  if (size_ == 0) return out;
  out.block_ = static_cast<char*>(std::malloc(size_));
  if (out.block_ == nullptr) throw std::bad_alloc();
  std::memcpy(out.block_, block_, size_);
  out.size_ = size_;
  out.count_ = count_;
  out.capacity_ = size_;
  return out;
}

void PackedList::Assign(std::string_view bytes, size_t room) {
  assert(owned_);
  Detach();
  if (bytes.empty()) {
    Resize(0);
    size_ = count_ = 0;
    return;
  }
  size_ = 0;  // nothing to keep across a move of the block
  if (capacity_ < bytes.size() + room) Resize(bytes.size() + room);
  std::memcpy(block_, bytes.data(), bytes.size());
  size_ = static_cast<uint32_t>(bytes.size());
  size_t header = 0;
  count_ = ReadVarint(block_, &header);
}

void PackedList::Attach(char* buffer, size_t size, size_t capacity) {
  assert(owned_ && size <= capacity);
  Detach();
  size_ = count_ = 0;
  Resize(0);
  block_ = buffer;
  size_ = static_cast<uint32_t>(size);
  capacity_ = static_cast<uint32_t>(capacity);
  attached_ = true;
  size_t header = 0;
  count_ = size == 0 ? 0 : ReadVarint(buffer, &header);
}

void PackedList::Detach() {
  if (!attached_) return;
  block_ = nullptr;
  size_ = count_ = capacity_ = 0;
  attached_ = false;
}

void PackedList::OwnBlock() {
  if (attached_) MoveOut(size_);
}

void PackedList::MoveOut(size_t capacity) {
  assert(attached_ && capacity >= size_);
  char* buffer = block_;
  block_ = nullptr;
  capacity_ = 0;
  attached_ = false;
  if (capacity == 0) return;
  block_ = static_cast<char*>(std::malloc(capacity));
  if (block_ == nullptr) throw std::bad_alloc();
  if (size_ > 0) std::memcpy(block_, buffer, size_);
  capacity_ = static_cast<uint32_t>(capacity);
}

size_t PackedList::HeapBytes() const {
  return capacity_ > 0 && !attached_ ? ChunkBytes(capacity_) : 0;
}

bool PackedList::SafeToAdd(size_t add) const { return size_ + add <= Listpack::kMaxSafeBytes; }

size_t PackedList::header_size() const { return size_ == 0 ? 0 : VarintSize(count_); }

size_t PackedList::First() const { return count_ == 0 ? kNoEntry : header_size(); }

size_t PackedList::Next(size_t offset) const {
  const size_t next = offset + listpack::EncodedSize(U(block_) + offset);
  return next >= size_ ? kNoEntry : next;
}

PackedList::Element PackedList::Get(size_t offset) const {
  return listpack::Decode(U(block_) + offset);
}

size_t PackedList::Find(std::string_view value, size_t offset, size_t skip) const {
  // FindEntry's walk, decoding each entry once (Next and Get would each read its encoding)
  // and the two encodings short hash fields and small values take without a call: a string
  // of up to 63 bytes (10xxxxxx, the length in the low bits) and an integer 0..127 (0xxxxxxx).
  const std::optional<int64_t> as_integer = ParseInt64(value);
  const unsigned char* p = U(block_);
  size_t to_skip = 0;
  for (size_t at = offset; at < size_;) {
    const unsigned char encoding = p[at];
    size_t encoded = 0;
    bool matches = false;
    if ((encoding & 0xC0) == 0x80) {
      const size_t length = encoding & 0x3F;
      encoded = 1 + length;
      matches = length == value.size() && std::memcmp(p + at + 1, value.data(), length) == 0;
    } else if ((encoding & 0x80) == 0) {
      encoded = 1;
      matches = as_integer.has_value() && *as_integer == encoding;
    } else {
      const Element e = listpack::Decode(p + at);
      encoded = listpack::EncodedSize(p + at);
      matches =
          e.is_integer ? as_integer.has_value() && *as_integer == e.integer : e.bytes == value;
    }
    if (to_skip > 0) {
      --to_skip;
    } else if (matches) {
      return at;
    } else {
      to_skip = skip;
    }
    at += encoded;
  }
  return kNoEntry;
}

void PackedList::Resize(size_t capacity) {
  assert(owned_ && capacity >= size_);
  if (attached_) {
    // The buffer's capacity is fixed: a shrink keeps it, a growth leaves it for a block of
    // the list's own.
    if (capacity == 0) Detach();
    if (capacity > capacity_) MoveOut(capacity);
    return;
  }
  if (capacity == 0) {
    std::free(block_);
    block_ = nullptr;
  } else {
    char* resized = static_cast<char*>(std::realloc(block_, capacity));
    if (resized == nullptr) throw std::bad_alloc();
    block_ = resized;
  }
  capacity_ = static_cast<uint32_t>(capacity);
}

void PackedList::Splice(size_t at, size_t old_size, size_t new_size) {
  assert(owned_);
  const size_t tail = at + old_size;
  const size_t total = size_ - old_size + new_size;
  if (total > capacity_) Resize(total);
  if (size_ > tail) std::memmove(block_ + at + new_size, block_ + tail, size_ - tail);
  size_ = static_cast<uint32_t>(total);
  if (total == 0) {
    Resize(0);
  } else if (new_size < old_size && capacity_ - total > total / 4 + kShrinkSlack) {
    Resize(total);
  }
}

void PackedList::SetCount(uint32_t count) {
  const size_t old_header = header_size();
  if (count == 0) {
    Splice(0, size_, 0);  // an empty list keeps no block
    count_ = 0;
    return;
  }
  const size_t new_header = VarintSize(count);
  if (new_header != old_header) Splice(0, old_header, new_header);
  count_ = count;
  WriteVarint(count, block_);
}

void PackedList::Append(std::string_view value) {
  if (Aliases(value, block_, size_)) return Append(std::string(value));
  const listpack::EncodedEntry entry = listpack::EncodeValue(value);
  SetCount(count_ + 1);
  const size_t at = size_;
  Splice(at, 0, PackedEntrySize(entry));
  WritePackedEntry(entry, block_ + at);
}

size_t PackedList::Insert(size_t offset, std::string_view value) {
  if (Aliases(value, block_, size_)) return Insert(offset, std::string(value));
  const size_t old_header = header_size();
  const size_t at = offset == kNoEntry ? size_ : offset;
  const listpack::EncodedEntry entry = listpack::EncodeValue(value);
  SetCount(count_ + 1);
  // The count header may have grown, moving every entry.
  const size_t moved = at + header_size() - old_header;
  Splice(moved, 0, PackedEntrySize(entry));
  WritePackedEntry(entry, block_ + moved);
  return moved;
}

size_t PackedList::Replace(size_t offset, std::string_view value) {
  if (Aliases(value, block_, size_)) return Replace(offset, std::string(value));
  const listpack::EncodedEntry entry = listpack::EncodeValue(value);
  Splice(offset, listpack::EncodedSize(U(block_) + offset), PackedEntrySize(entry));
  WritePackedEntry(entry, block_ + offset);
  return offset;
}

void PackedList::Delete(size_t offset, size_t count) {
  if (count == 0 || offset == kNoEntry) return;
  size_t tail = offset;
  uint32_t deleted = 0;
  while (deleted < count && tail < size_) {
    tail += listpack::EncodedSize(U(block_) + tail);
    ++deleted;
  }
  Splice(offset, tail - offset, 0);
  SetCount(count_ - deleted);
}

}  // namespace ember::storage
