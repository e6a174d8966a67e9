#include "storage/value/list_node.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <utility>

#include "storage/value/chunk_bytes.h"
#include "storage/value/lzf_codec.h"

namespace ember::storage {

namespace {

// Whether `value` views bytes inside [block, block + size): such a value must be copied
// before the block moves.
bool Aliases(std::string_view value, const char* block, size_t size) {
  const auto v = reinterpret_cast<uintptr_t>(value.data());
  const auto b = reinterpret_cast<uintptr_t>(block);
  return !value.empty() && block != nullptr && v >= b && v < b + size;
}

}  // namespace

ListNode::ListNode(ListNode&& other) noexcept
    : block_(std::exchange(other.block_, nullptr)),
      listpack_(std::move(other.listpack_)),
      count_(std::exchange(other.count_, 0)),
      width_(std::exchange(other.width_, 0)),
      front_(std::exchange(other.front_, 0)),
      capacity_(std::exchange(other.capacity_, 0)),
      raw_bytes_(std::exchange(other.raw_bytes_, 0)),
      packing_(std::exchange(other.packing_, Packing::kRaw)) {
  other.listpack_.reset();
}

ListNode& ListNode::operator=(ListNode&& other) noexcept {
  if (this != &other) {
    std::free(block_);
    block_ = std::exchange(other.block_, nullptr);
    listpack_ = std::move(other.listpack_);
    other.listpack_.reset();
    count_ = std::exchange(other.count_, 0);
    width_ = std::exchange(other.width_, 0);
    front_ = std::exchange(other.front_, 0);
    capacity_ = std::exchange(other.capacity_, 0);
    raw_bytes_ = std::exchange(other.raw_bytes_, 0);
    packing_ = std::exchange(other.packing_, Packing::kRaw);
  }
  return *this;
}

ListNode::~ListNode() { std::free(block_); }

ListNode ListNode::FromListpack(Listpack listpack) {
  ListNode node;
  node.count_ = static_cast<uint32_t>(listpack.size());
  node.listpack_ = std::move(listpack);
  return node;
}

ListNode ListNode::Clone() const {
  ListNode copy;
  copy.width_ = width_;
  if (compressed()) {
    copy.block_ = static_cast<char*>(std::malloc(capacity_));
    if (copy.block_ == nullptr) throw std::bad_alloc();
    std::memcpy(copy.block_, block_, capacity_);
    copy.capacity_ = capacity_;
    copy.raw_bytes_ = raw_bytes_;
    copy.packing_ = packing_;
    copy.count_ = count_;
    return copy;
  }
  if (listpack_.has_value()) {
    copy.listpack_ = listpack_->Clone();
  } else if (UniformBytes() > 0) {
    copy.Relayout(0, UniformBytes());
    std::memcpy(copy.block_, UniformAt(0), UniformBytes());
  }
  copy.count_ = count_;
  return copy;
}

Listpack ListNode::ToListpack() const {
  if (compressed()) return Decompressed().ToListpack();
  if (listpack_.has_value()) return listpack_->Clone();
  Listpack listpack;
  for (size_t i = 0; i < count_; ++i) listpack.Append(std::string_view(UniformAt(i), width_));
  return listpack;
}

size_t ListNode::FillBytes() const {
  if (packing_ == Packing::kCompressedListpack) return raw_bytes_;
  return listpack_.has_value() ? listpack_->bytes().size() : UniformBytes();
}

size_t ListNode::HeapBytes() const {
  if (compressed()) return ChunkBytes(capacity_);
  if (listpack_.has_value()) return listpack_->HeapBytes();
  return block_ != nullptr ? ChunkBytes(capacity_) : 0;
}

ListNode::Element ListNode::Get(size_t index) const {
  if (listpack_.has_value()) return listpack_->Get(ListpackOffset(index));
  Element element;
  element.bytes = std::string_view(UniformAt(index), width_);
  return element;
}

void ListNode::Insert(size_t index, std::string_view value) {
  // A view of this node's own bytes must outlive the block's reallocation or conversion.
  std::string copy;
  if (Aliases(value, block_, capacity_)) value = copy.assign(value);
  if (!listpack_.has_value() && !FitsUniform(value)) ConvertToListpack();
  if (listpack_.has_value()) {
    if (index == count_) {
      listpack_->Append(value);
    } else {
      listpack_->Insert(ListpackOffset(index), value);
    }
    ++count_;
    return;
  }
  if (count_ == 0) width_ = static_cast<uint32_t>(value.size());
  // Elements of width 0 (empty strings) have no block: there is nothing to move.
  if (width_ > 0) InsertUniform(index, value);
  ++count_;
}

void ListNode::InsertUniform(size_t index, std::string_view value) {
  const size_t used = UniformBytes();
  // Room a growth reserves for the pushes to come, in whole elements.
  const size_t room = std::min(kMaxGrowthRoom, used / 4) / width_ * width_;
  if (index == 0) {
    if (front_ < width_) Relayout(room + width_, capacity_ - front_ - used);
    front_ -= width_;
    std::memcpy(block_ + front_, value.data(), width_);
    return;
  }
  if (capacity_ - front_ - used < width_) Relayout(front_, width_ + room);
  char* at = UniformAt(index);
  std::memmove(at + width_, at, used - index * width_);
  std::memcpy(at, value.data(), width_);
}

void ListNode::Replace(size_t index, std::string_view value) {
  std::string copy;
  if (Aliases(value, block_, capacity_)) value = copy.assign(value);
  if (!listpack_.has_value() && value.size() != width_) ConvertToListpack();
  if (listpack_.has_value()) {
    listpack_->Replace(ListpackOffset(index), value);
    return;
  }
  if (width_ > 0) std::memcpy(UniformAt(index), value.data(), width_);
}

void ListNode::Erase(size_t index, size_t count) {
  if (index >= count_) return;
  if (count > count_ - index) count = count_ - index;
  if (count == 0) return;
  if (listpack_.has_value()) {
    listpack_->Delete(ListpackOffset(index), count);
    count_ -= static_cast<uint32_t>(count);
    return;
  }
  EraseUniform(index, count);
}

void ListNode::EraseUniform(size_t index, size_t count) {
  const size_t removed = count * width_;
  if (index == 0) {
    front_ += static_cast<uint32_t>(removed);
  } else if (removed > 0) {
    char* at = UniformAt(index);
    std::memmove(at, at + removed, UniformBytes() - (index + count) * width_);
  }
  count_ -= static_cast<uint32_t>(count);
  if (count_ == 0) width_ = 0;
  const size_t unused = capacity_ - UniformBytes();
  if (count_ == 0 || unused > capacity_ / 4 + kShrinkSlack) Relayout(0, 0);
}

void ListNode::Trim() {
  if (!compressed() && !listpack_.has_value() && capacity_ > UniformBytes()) Relayout(0, 0);
}

bool ListNode::Compress() {
  if (compressed()) return true;
  const std::string_view raw =
      listpack_.has_value() ? listpack_->bytes() : std::string_view(UniformAt(0), UniformBytes());
  if (raw.size() < kMinCompressBytes) return false;
  // Redis keeps the node raw unless LZF saves more than kMinCompressImprove bytes.
  const size_t limit = raw.size() - kMinCompressImprove - 1;
  char* out = static_cast<char*>(std::malloc(limit));
  if (out == nullptr) throw std::bad_alloc();
  const size_t size = LzfCompressInto(raw, out, limit);
  if (size == 0) {
    std::free(out);
    return false;
  }
  if (char* fitted = static_cast<char*>(std::realloc(out, size)); fitted != nullptr) out = fitted;
  raw_bytes_ = static_cast<uint32_t>(raw.size());
  if (listpack_.has_value()) {
    listpack_.reset();
    packing_ = Packing::kCompressedListpack;
  } else {
    std::free(block_);
    packing_ = Packing::kCompressedUniform;
  }
  block_ = out;
  front_ = 0;
  capacity_ = static_cast<uint32_t>(size);
  return true;
}

void ListNode::Decompress() {
  const std::string_view packed(block_, capacity_);
  // Not client input: the bytes are the node's own, so a failure is memory corruption.
  if (packing_ == Packing::kCompressedListpack) {
    std::string bytes(raw_bytes_, '\0');
    if (!LzfDecompressInto(packed, bytes.data(), bytes.size())) std::abort();
    std::string error;
    std::optional<Listpack> listpack = Listpack::FromBytes(bytes, &error);
    if (!listpack.has_value()) std::abort();
    listpack_ = std::move(listpack);
    std::free(std::exchange(block_, nullptr));
    capacity_ = 0;
  } else {
    char* raw = static_cast<char*>(std::malloc(raw_bytes_));
    if (raw == nullptr) throw std::bad_alloc();
    if (!LzfDecompressInto(packed, raw, raw_bytes_)) std::abort();
    std::free(block_);
    block_ = raw;
    capacity_ = raw_bytes_;
  }
  front_ = 0;
  raw_bytes_ = 0;
  packing_ = Packing::kRaw;
}

ListNode ListNode::Decompressed() const {
  ListNode copy = Clone();
  if (copy.compressed()) copy.Decompress();
  return copy;
}

ListNode ListNode::SplitOff(size_t index) {
  ListNode tail;
  if (index >= count_) return tail;
  const size_t moved = count_ - index;
  if (listpack_.has_value()) {
    Listpack rest;
    Visit(index, moved, false, [&rest](const Element& element) {
      if (element.is_integer) {
        rest.AppendInteger(element.integer);
      } else {
        rest.Append(element.bytes);
      }
      return true;
    });
    tail = FromListpack(std::move(rest));
  } else {
    tail.width_ = width_;
    if (width_ > 0) {
      tail.Relayout(0, moved * width_);
      std::memcpy(tail.block_, UniformAt(index), moved * width_);
    }
    tail.count_ = static_cast<uint32_t>(moved);
  }
  Erase(index, moved);
  return tail;
}

void ListNode::Absorb(ListNode& other) {
  if (other.empty()) return;
  if (empty() && !listpack_.has_value()) {
    *this = std::move(other);
    return;
  }
  if (!listpack_.has_value() && !other.listpack_.has_value() && other.width_ == width_) {
    const size_t added = other.UniformBytes();
    if (added > 0) {
      if (capacity_ - front_ - UniformBytes() < added) Relayout(front_, added);
      std::memcpy(UniformAt(count_), other.UniformAt(0), added);
    }
    count_ += other.count_;
  } else {
    if (!listpack_.has_value()) ConvertToListpack();
    other.Visit(0, other.count_, false, [this](const Element& element) {
      if (element.is_integer) {
        listpack_->AppendInteger(element.integer);
      } else {
        listpack_->Append(element.bytes);
      }
      return true;
    });
    count_ += other.count_;
  }
  other = ListNode();
}

bool ListNode::FitsUniform(std::string_view value) const {
  return count_ == 0 || value.size() == width_;
}

void ListNode::ConvertToListpack() {
  Listpack listpack = ToListpack();
  std::free(std::exchange(block_, nullptr));
  width_ = 0;
  front_ = 0;
  capacity_ = 0;
  listpack_ = std::move(listpack);
}

size_t ListNode::ListpackOffset(size_t index) const {
  if (index < count_ / 2) {
    size_t offset = listpack_->First();
    for (size_t i = 0; i < index; ++i) offset = listpack_->Next(offset);
    return offset;
  }
  size_t offset = listpack_->Last();
  for (size_t i = count_ - 1; i > index; --i) offset = listpack_->Prev(offset);
  return offset;
}

void ListNode::Relayout(size_t reserve, size_t room) {
  const size_t used = UniformBytes();
  const size_t total = reserve + used + room;
  if (total == 0) {
    std::free(std::exchange(block_, nullptr));
    front_ = 0;
    capacity_ = 0;
    return;
  }
  if (reserve == front_) {
    // The elements keep their offset, which realloc preserves (often without a copy).
    char* resized = static_cast<char*>(std::realloc(block_, total));
    if (resized == nullptr) throw std::bad_alloc();
    block_ = resized;
  } else {
    char* fresh = static_cast<char*>(std::malloc(total));
    if (fresh == nullptr) throw std::bad_alloc();
    if (used > 0) std::memcpy(fresh + reserve, block_ + front_, used);
    std::free(block_);
    block_ = fresh;
  }
  front_ = static_cast<uint32_t>(reserve);
  capacity_ = static_cast<uint32_t>(total);
}

}  // namespace ember::storage
