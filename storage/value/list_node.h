// ListNode: one node of a list (Redis's quicklist idea: a list is a sequence of small
// blocks), holding a run of elements in one heap block in one of two layouts:
//
//   kUniform   strings that all have the same length W, back to back, nothing else: an
//              element costs exactly its bytes. Queues of IDs, UUIDs, fixed-size tokens and
//              benchmark payloads are of this shape, and a Redis listpack would spend two to
//              three bytes more on each (encoding byte and backlen).
//   kListpack  Redis's listpack, byte for byte (listpack.h): any elements. What an RDB file
//              stores for a node, so saving it is writing its bytes.
//
// A node starts uniform and becomes a listpack, once, when an element of another length
// arrives; it never turns back. Both layouts hold the same sequence of strings: an element
// is read as a Listpack::Element (a canonical integer stored by the listpack layout comes
// back as an integer, exactly as from Redis's listpack), so which layout a node has is never
// visible in a reply. ToListpack gives the Redis form of either.
//
// Positions are element indexes within the node. Elements at either end are reached in O(1)
// in both layouts; an index inside a listpack node is reached by walking from the nearer end.
//
// A uniform block keeps its elements at an offset (front_) with unused bytes before them, so
// popping at the front moves nothing, and a push that finds no room at its end reserves some
// there (a quarter of the elements' bytes, at most kMaxGrowthRoom) for the pushes after it:
// a queue fed or drained at either end neither memmoves nor reallocs its node on every
// operation, as a listpack does. Removing elements shrinks the block only once the unused
// bytes pass a quarter of the block plus kShrinkSlack. HeapBytes counts the unused bytes;
// Trim gives them back (the list trims an end node once it is full).
//
// Compression (list-compress-depth; the list decides which nodes): Compress() replaces the
// node's bytes by their LZF compression in one block when Redis's quicklist would (at least
// kMinCompressBytes, and saving more than kMinCompressImprove bytes); Decompress() restores
// them. A compressed node answers size(), FillBytes(), HeapBytes() (the compressed block),
// layout(), Clone() and ToListpack(); anything else needs Decompress() first, or a read of
// Decompressed().
//
// Ownership: a node owns its block (none while an empty uniform node); movable, not
// copyable (Clone()). It never points into itself, so it survives a byte copy inside the
// list's node array. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "storage/value/listpack.h"

namespace ember::storage {

class ListNode {
 public:
  using Element = Listpack::Element;
  enum class Layout : uint8_t { kUniform, kListpack };

  // An empty uniform node.
  ListNode() = default;
  ListNode(ListNode&& other) noexcept;
  ListNode& operator=(ListNode&& other) noexcept;
  ListNode(const ListNode&) = delete;
  ListNode& operator=(const ListNode&) = delete;
  ~ListNode();

  // A listpack-layout node adopting `listpack` (a node loaded from an RDB file).
  static ListNode FromListpack(Listpack listpack);
  ListNode Clone() const;
  // The node's elements as a Redis listpack (the node's own bytes when it is one).
  Listpack ToListpack() const;

  Layout layout() const {
    return listpack_.has_value() || packing_ == Packing::kCompressedListpack ? Layout::kListpack
                                                                             : Layout::kUniform;
  }
  size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }
  // The bytes counted against `list-max-listpack-size`: the listpack's total bytes, or the
  // uniform elements' bytes (so a uniform node of short elements holds more of them than a
  // listpack of the same size would: that is the layout's saving).
  size_t FillBytes() const;
  // Heap bytes of the block in allocator chunks; 0 for an empty uniform node.
  size_t HeapBytes() const;

  // The element at `index`. Requires: index < size(). Views into the node are valid until
  // its next change.
  Element Get(size_t index) const;
  // Calls f(const Element&) for `count` elements from `index` on, in order (backwards,
  // towards the front, when `reverse`), stopping early when f returns false. Each step is
  // O(1). Requires: index < size() unless count is 0; the elements exist.
  template <typename F>
  void Visit(size_t index, size_t count, bool reverse, F&& f) const;

  // Inserts `value` before the element at `index` (index == size() appends).
  void Insert(size_t index, std::string_view value);
  // Replaces the element at `index` with `value`.
  void Replace(size_t index, std::string_view value);
  // Removes `count` elements from `index` on (fewer when the end comes first).
  void Erase(size_t index, size_t count);
  // Moves the elements from `index` on into a new node, which is returned.
  ListNode SplitOff(size_t index);
  // Appends the elements of `other`, which is left empty.
  void Absorb(ListNode& other);
  // Frees the unused bytes a uniform block keeps for growth; no-op for a listpack.
  void Trim();

  // Redis's MIN_COMPRESS_BYTES and MIN_COMPRESS_IMPROVE.
  static constexpr size_t kMinCompressBytes = 48;
  static constexpr size_t kMinCompressImprove = 8;
  bool compressed() const { return packing_ != Packing::kRaw; }
  // Compresses a raw node when it is large enough and LZF saves enough; whether it is
  // compressed afterwards.
  bool Compress();
  // Restores a compressed node's bytes. Requires: compressed().
  void Decompress();
  // A raw copy of this node (compressed or not), for reading a compressed one in place.
  ListNode Decompressed() const;

 private:
  // The most a push that grows the block reserves at its end for the next pushes.
  static constexpr size_t kMaxGrowthRoom = 256;
  // Unused bytes a uniform block keeps beyond a quarter of its size before it shrinks.
  static constexpr size_t kShrinkSlack = 64;

  // Whether `value` can join this node without leaving the uniform layout.
  bool FitsUniform(std::string_view value) const;
  // Turns a uniform node into a listpack holding the same elements.
  void ConvertToListpack();
  // Offset of the listpack entry at `index`, walking from the nearer end.
  size_t ListpackOffset(size_t index) const;
  const char* UniformAt(size_t index) const { return block_ + front_ + index * width_; }
  char* UniformAt(size_t index) { return block_ + front_ + index * width_; }
  size_t UniformBytes() const { return size_t{count_} * width_; }
  // Inserts into a uniform node that `value` fits. Requires: width_ > 0.
  void InsertUniform(size_t index, std::string_view value);
  // Removes elements [index, index + count) of a uniform node. Requires: they exist.
  void EraseUniform(size_t index, size_t count);
  // Moves the elements to a new block of exactly `reserve` unused bytes, then the elements,
  // then `room` unused bytes (nothing at all for an empty node).
  void Relayout(size_t reserve, size_t room);

  enum class Packing : uint8_t { kRaw, kCompressedUniform, kCompressedListpack };

  // kUniform: block_ (capacity_ bytes) holds count_ * width_ bytes from offset front_.
  // kListpack: listpack_ holds the elements.
  // Compressed: block_ (capacity_ bytes) holds the LZF form of raw_bytes_ bytes: the
  // uniform elements (count_ and width_ kept) or the listpack's bytes (listpack_ empty).
  char* block_ = nullptr;
  std::optional<Listpack> listpack_;
  uint32_t count_ = 0;
  uint32_t width_ = 0;
  uint32_t front_ = 0;
  uint32_t capacity_ = 0;
  uint32_t raw_bytes_ = 0;
  Packing packing_ = Packing::kRaw;
};

template <typename F>
void ListNode::Visit(size_t index, size_t count, bool reverse, F&& f) const {
  if (count == 0) return;
  if (!listpack_.has_value()) {
    for (size_t i = 0; i < count; ++i) {
      const size_t at = reverse ? index - i : index + i;
      Element element;
      element.bytes = std::string_view(UniformAt(at), width_);
      if (!f(static_cast<const Element&>(element))) return;
    }
    return;
  }
  size_t offset = ListpackOffset(index);
  for (size_t i = 0; i < count && offset != Listpack::kNoEntry; ++i) {
    if (!f(static_cast<const Element&>(listpack_->Get(offset)))) return;
    offset = reverse ? listpack_->Prev(offset) : listpack_->Next(offset);
  }
}

}  // namespace ember::storage
