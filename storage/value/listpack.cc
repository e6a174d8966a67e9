#include "storage/value/listpack.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <utility>
#include <vector>

#include "storage/value/chunk_bytes.h"
#include "storage/value/listpack_codec.h"
#include "storage/value/number_format.h"
#include "storage/value/packed_find.h"

namespace ember::storage {

using listpack::EncodedEntry;
using listpack::kCountUnknown;
using listpack::kEnd;
using listpack::kHeaderBytes;

namespace {

char* Reallocate(char* block, size_t bytes) {
  char* p = static_cast<char*>(std::realloc(block, bytes));
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

unsigned char* U(char* p) { return reinterpret_cast<unsigned char*>(p); }

// Whether `value` views bytes inside `block` (then it must be copied before the block moves).
bool Aliases(std::string_view value, const char* block, size_t size) {
  const auto v = reinterpret_cast<uintptr_t>(value.data());
  const auto b = reinterpret_cast<uintptr_t>(block);
  return !value.empty() && v >= b && v < b + size;
}

}  // namespace

std::string_view Listpack::Element::View(NumberBuffer& scratch) const {
  if (!is_integer) return bytes;
  return std::string_view(scratch.data, FormatInt64(integer, scratch.data));
}

bool Listpack::Element::Equals(std::string_view value) const {
  if (!is_integer) return bytes == value;
  const std::optional<int64_t> n = ParseInt64(value);
  return n.has_value() && *n == integer;
}

Listpack::Listpack() : block_(Reallocate(nullptr, kHeaderBytes + 1)) {
  listpack::StoreU32(U(block_), kHeaderBytes + 1);
  listpack::StoreU16(U(block_) + 4, 0);
  block_[kHeaderBytes] = static_cast<char>(kEnd);
}

// A moved-from Listpack holds no block: it may only be destroyed or assigned to (moving
// must not allocate).
Listpack::Listpack(Listpack&& other) noexcept : block_(std::exchange(other.block_, nullptr)) {}

Listpack& Listpack::operator=(Listpack&& other) noexcept {
  if (this != &other) std::swap(block_, other.block_);
  return *this;
}

Listpack::~Listpack() { std::free(block_); }

std::optional<Listpack> Listpack::FromBytes(std::string_view blob, std::string* error) {
  if (!listpack::Validate(blob, error)) return std::nullopt;
  Listpack out;
  out.block_ = Reallocate(out.block_, blob.size());
  std::memcpy(out.block_, blob.data(), blob.size());
  return out;
}

Listpack Listpack::Clone() const {
  Listpack out;
  const std::string_view b = bytes();
  out.block_ = Reallocate(out.block_, b.size());
  std::memcpy(out.block_, b.data(), b.size());
  return out;
}

std::string_view Listpack::bytes() const {
  return std::string_view(block_, listpack::LoadU32(U(block_)));
}

size_t Listpack::size() const {
  const uint32_t count = listpack::LoadU16(U(block_) + 4);
  if (count != kCountUnknown) return count;
  size_t walked = 0;
  for (size_t at = First(); at != kNoEntry; at = Next(at)) ++walked;
  return walked;
}

size_t Listpack::HeapBytes() const { return ChunkBytes(bytes().size()); }

bool Listpack::SafeToAdd(size_t add) const { return bytes().size() + add <= kMaxSafeBytes; }

size_t Listpack::First() const { return U(block_)[kHeaderBytes] == kEnd ? kNoEntry : kHeaderBytes; }

size_t Listpack::Last() const { return Prev(bytes().size() - 1); }

size_t Listpack::Next(size_t offset) const {
  const size_t next = offset + listpack::EntryBytes(U(block_) + offset);
  return U(block_)[next] == kEnd ? kNoEntry : next;
}

size_t Listpack::Prev(size_t offset) const {
  if (offset <= kHeaderBytes) return kNoEntry;
  const uint64_t encoded = listpack::DecodeBacklen(U(block_) + offset - 1);
  return offset - encoded - listpack::BacklenSize(encoded);
}

Listpack::Element Listpack::Get(size_t offset) const {
  return listpack::Decode(U(block_) + offset);
}

size_t Listpack::Find(std::string_view value, size_t offset, size_t skip) const {
  return FindEntry(*this, value, offset, skip);
}

namespace {

// Opens a gap of `grow` bytes at `offset` (moving everything from there on, the end byte
// included, to the right) and returns the reallocated block. Updates total bytes only.
char* OpenGap(char* block, size_t offset, size_t grow) {
  const size_t total = listpack::LoadU32(U(block));
  block = Reallocate(block, total + grow);
  std::memmove(block + offset + grow, block + offset, total - offset);
  listpack::StoreU32(U(block), static_cast<uint32_t>(total + grow));
  return block;
}

void AddToCount(char* block, int delta) {
  const uint32_t count = listpack::LoadU16(U(block) + 4);
  if (count == kCountUnknown) return;
  // Past what 16 bits hold the count becomes "unknown" for good, as in Redis.
  const int64_t updated = static_cast<int64_t>(count) + delta;
  listpack::StoreU16(U(block) + 4,
                     static_cast<uint32_t>(updated >= kCountUnknown ? kCountUnknown : updated));
}

}  // namespace

size_t Listpack::Insert(size_t offset, std::string_view value) {
  const EncodedEntry entry = listpack::EncodeValue(value);
  if (offset == kNoEntry) offset = bytes().size() - 1;
  // `value` may view this block's own bytes: encode it into a copy before the block moves.
  if (!entry.data.empty() && Aliases(value, block_, bytes().size())) {
    return Insert(offset, std::string(value));
  }
  const size_t entry_size = listpack::EntrySize(entry);
  block_ = OpenGap(block_, offset, entry_size);
  listpack::WriteEntry(entry, U(block_) + offset);
  AddToCount(block_, 1);
  return offset;
}

void Listpack::Append(std::string_view value) { Insert(kNoEntry, value); }

void Listpack::AppendInteger(int64_t value) {
  const EncodedEntry entry = listpack::EncodeInteger(value);
  const size_t offset = bytes().size() - 1;
  block_ = OpenGap(block_, offset, listpack::EntrySize(entry));
  listpack::WriteEntry(entry, U(block_) + offset);
  AddToCount(block_, 1);
}

void Listpack::AppendItems(std::span<const Item> items) {
  // Small batches (a stream entry) encode on the stack.
  constexpr size_t kInline = 16;
  EncodedEntry inline_entries[kInline];
  std::vector<EncodedEntry> heap_entries;
  EncodedEntry* entries = inline_entries;
  if (items.size() > kInline) {
    heap_entries.resize(items.size());
    entries = heap_entries.data();
  }
  size_t grow = 0;
  for (size_t i = 0; i < items.size(); ++i) {
    const Item& item = items[i];
    if (!item.is_integer && Aliases(item.bytes, block_, bytes().size())) {
      // A view into this block would move with it: one at a time, each copied first.
      for (const Item& one : items) {
        if (one.is_integer) {
          AppendInteger(one.integer);
        } else {
          Append(std::string(one.bytes));
        }
      }
      return;
    }
    entries[i] =
        item.is_integer ? listpack::EncodeInteger(item.integer) : listpack::EncodeValue(item.bytes);
    grow += listpack::EntrySize(entries[i]);
  }
  size_t offset = bytes().size() - 1;
  block_ = OpenGap(block_, offset, grow);
  for (size_t i = 0; i < items.size(); ++i) {
    listpack::WriteEntry(entries[i], U(block_) + offset);
    offset += listpack::EntrySize(entries[i]);
  }
  AddToCount(block_, static_cast<int>(items.size()));
}

size_t Listpack::Replace(size_t offset, std::string_view value) {
  if (Aliases(value, block_, bytes().size())) return Replace(offset, std::string(value));
  const EncodedEntry entry = listpack::EncodeValue(value);
  const size_t old_size = listpack::EntryBytes(U(block_) + offset);
  const size_t new_size = listpack::EntrySize(entry);
  const size_t total = bytes().size();
  const size_t tail = offset + old_size;
  if (new_size > old_size) {
    block_ = OpenGap(block_, tail, new_size - old_size);
  } else if (new_size < old_size) {
    std::memmove(block_ + offset + new_size, block_ + tail, total - tail);
    const size_t shrunk = total - (old_size - new_size);
    listpack::StoreU32(U(block_), static_cast<uint32_t>(shrunk));
    block_ = Reallocate(block_, shrunk);
  }
  listpack::WriteEntry(entry, U(block_) + offset);
  return offset;
}

size_t Listpack::Delete(size_t offset, size_t count) {
  if (count == 0 || offset == kNoEntry) return offset;
  const size_t total = bytes().size();
  size_t tail = offset;
  size_t deleted = 0;
  while (deleted < count && U(block_)[tail] != kEnd) {
    tail += listpack::EntryBytes(U(block_) + tail);
    ++deleted;
  }
  std::memmove(block_ + offset, block_ + tail, total - tail);
  const size_t shrunk = total - (tail - offset);
  listpack::StoreU32(U(block_), static_cast<uint32_t>(shrunk));
  if (listpack::LoadU16(U(block_) + 4) == kCountUnknown) {
    // Redis rewrites an unknown count as soon as the length is asked for (lpLength), which
    // a hash does after every delete; recounting here keeps the bytes the same.
    size_t walked = 0;
    for (size_t at = First(); at != kNoEntry; at = Next(at)) ++walked;
    if (walked < kCountUnknown) listpack::StoreU16(U(block_) + 4, static_cast<uint32_t>(walked));
  } else {
    AddToCount(block_, -static_cast<int>(deleted));
  }
  block_ = Reallocate(block_, shrunk);
  return U(block_)[offset] == kEnd ? kNoEntry : offset;
}

}  // namespace ember::storage
