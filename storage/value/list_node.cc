#include "storage/value/list_node.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <utility>

#include "storage/value/chunk_bytes.h"

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
      width_(std::exchange(other.width_, 0)) {
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
  copy.count_ = count_;
  copy.width_ = width_;
  if (listpack_.has_value()) {
    copy.listpack_ = listpack_->Clone();
  } else if (block_ != nullptr) {
    copy.ResizeUniform(count_);
    std::memcpy(copy.block_, block_, size_t{count_} * width_);
  }
  return copy;
}

Listpack ListNode::ToListpack() const {
  if (listpack_.has_value()) return listpack_->Clone();
  Listpack listpack;
  for (size_t i = 0; i < count_; ++i) listpack.Append(std::string_view(UniformAt(i), width_));
  return listpack;
}

size_t ListNode::FillBytes() const {
  return listpack_.has_value() ? listpack_->bytes().size() : size_t{count_} * width_;
}

size_t ListNode::HeapBytes() const {
  if (listpack_.has_value()) return listpack_->HeapBytes();
  return block_ != nullptr ? ChunkBytes(size_t{count_} * width_) : 0;
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
  if (Aliases(value, block_, size_t{count_} * width_)) value = copy.assign(value);
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
  ResizeUniform(count_ + 1);
  // Elements of width 0 (empty strings) have no block: there is nothing to move.
  if (width_ > 0) {
    char* at = block_ + index * width_;
    std::memmove(at + width_, at, (count_ - index) * size_t{width_});
    std::memcpy(at, value.data(), width_);
  }
  ++count_;
}

void ListNode::Replace(size_t index, std::string_view value) {
  std::string copy;
  if (Aliases(value, block_, size_t{count_} * width_)) value = copy.assign(value);
  if (!listpack_.has_value() && value.size() != width_) ConvertToListpack();
  if (listpack_.has_value()) {
    listpack_->Replace(ListpackOffset(index), value);
    return;
  }
  if (width_ > 0) std::memcpy(block_ + index * width_, value.data(), width_);
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
  if (width_ > 0) {
    char* at = block_ + index * width_;
    std::memmove(at, at + count * width_, (count_ - index - count) * size_t{width_});
  }
  ResizeUniform(count_ - count);
  count_ -= static_cast<uint32_t>(count);
  if (count_ == 0) width_ = 0;
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
    tail.ResizeUniform(moved);
    if (width_ > 0) std::memcpy(tail.block_, UniformAt(index), moved * width_);
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
    ResizeUniform(size_t{count_} + other.count_);
    if (width_ > 0)
      std::memcpy(block_ + size_t{count_} * width_, other.block_, other.count_ * size_t{width_});
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

void ListNode::ResizeUniform(size_t count) {
  const size_t bytes = count * width_;
  if (bytes == 0) {
    std::free(std::exchange(block_, nullptr));
    return;
  }
  char* grown = static_cast<char*>(std::realloc(block_, bytes));
  if (grown == nullptr) throw std::bad_alloc();
  block_ = grown;
}

}  // namespace ember::storage
