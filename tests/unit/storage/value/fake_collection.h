// FakeList: a minimal Collection for tests of the generic machinery (boxes, entries,
// accounting), independent of any real collection. It claims the stream type, the last
// type Ember will implement, so no per-type table row treats it as a real value. A list
// of strings, each in its own malloc'd block ([4-byte length][bytes]), indexed by a malloc'd
// array of pointers that doubles as it grows. Every block goes through AddChunk and
// RemoveChunk, so heap_bytes() can be checked exactly and ASan sees every block.
//
// Test-only; not thread-safe.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "storage/value/collection.h"
#include "storage/value/value.h"

namespace ember::storage {

class FakeList final : public Collection {
 public:
  static constexpr ValueType kType = ValueType::kStream;

  FakeList() : Collection(kType, CollectionEncoding::kListpack, sizeof(FakeList)) {}
  FakeList(const FakeList&) = delete;
  ~FakeList() override {
    for (size_t i = 0; i < size_; ++i) std::free(items_[i]);
    std::free(items_);
  }

  std::unique_ptr<Collection> Clone() const override {
    auto copy = std::make_unique<FakeList>();
    for (size_t i = 0; i < size_; ++i) copy->Push(Get(i));
    copy->set_encoding(encoding());
    return copy;
  }
  size_t Size() const override { return size_; }

  void Push(std::string_view item) {
    if (size_ == capacity_) Grow();
    const size_t request = sizeof(uint32_t) + item.size();
    auto* block = static_cast<char*>(std::malloc(request));
    const auto length = static_cast<uint32_t>(item.size());
    std::memcpy(block, &length, sizeof(length));
    std::memcpy(block + sizeof(length), item.data(), item.size());
    AddChunk(request);
    items_[size_++] = block;
  }
  // Removes and returns the last item. Requires: Size() > 0.
  std::string Pop() {
    std::string item(Get(size_ - 1));
    std::free(items_[--size_]);
    RemoveChunk(sizeof(uint32_t) + item.size());
    return item;
  }
  std::string_view Get(size_t index) const {
    uint32_t length;
    std::memcpy(&length, items_[index], sizeof(length));
    return {items_[index] + sizeof(length), length};
  }
  // Stands in for a real type converting its representation (listpack to quicklist).
  void Convert() { set_encoding(CollectionEncoding::kQuicklist); }

 private:
  void Grow() {
    const size_t capacity = capacity_ == 0 ? 2 : capacity_ * 2;
    if (capacity_ != 0) RemoveChunk(capacity_ * sizeof(char*));
    items_ = static_cast<char**>(std::realloc(items_, capacity * sizeof(char*)));
    AddChunk(capacity * sizeof(char*));
    capacity_ = capacity;
  }

  char** items_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

inline Value MakeList(std::initializer_list<std::string_view> items) {
  auto list = std::make_unique<FakeList>();
  for (std::string_view item : items) list->Push(item);
  return Value::Box(std::move(list));
}

}  // namespace ember::storage
