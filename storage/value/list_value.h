// ListValue: the value of a list key, a sequence of elements addressed by position.
//
// Layout (Redis's quicklist idea): the elements live in ListNodes (list_node.h), each one
// heap block of at most what `list-max-listpack-size` allows (`fill`: negative for a byte
// limit of 4, 8, 16, 32 or 64 KiB, positive for an element count within 8 KiB, as Redis
// 7.0 rules), kept in order in one array. Pushing and popping at either end touch one end
// node: O(1) apart from the node's own memmove, as in Redis. A position is found by walking
// node counts from the nearer end (O(nodes), as Redis), then inside the node.
// OBJECT ENCODING reports "quicklist", as Redis 7.0 reports every list.
//
// `fill` is passed to each call that adds elements rather than kept per list, so a CONFIG
// SET of the limit applies to existing lists' next nodes at once; node boundaries never
// show in a reply or a file.
//
// Compression (Redis's list-compress-depth): with a depth d > 0, every node but the d at each
// end is kept LZF-compressed where that saves memory (ListNode::Compress), and a change to
// one decompresses it and compresses it back. Like Redis, a list takes the depth when it is
// created (set_compress_depth); a CONFIG SET applies to lists created afterwards. Reads of a
// compressed node decompress a copy: an Element from Get stays valid until the next change
// or the next Get (one copy per thread is kept for it).
//
// Memory: every node block and the node array are counted in heap_bytes() (collection.h).
// Relocation: never points back at its Value. Not thread-safe.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "storage/value/collection.h"
#include "storage/value/list_node.h"

namespace ember::storage {

class ListValue final : public Collection {
 public:
  static constexpr ValueType kType = ValueType::kList;
  // Redis 7.0's default `list-max-listpack-size`: nodes of at most 8 KiB.
  static constexpr int kDefaultFill = -2;
  enum class End : uint8_t { kFront, kBack };
  using Element = ListNode::Element;

  ListValue();
  ~ListValue() override;
  [[nodiscard]] std::unique_ptr<Collection> Clone() const override;
  size_t Size() const override { return size_; }

  // Adds `value` at `end`.
  void Push(End end, std::string_view value, int fill);
  // Removes the element at `end` and returns its text. Requires: !empty.
  std::string Pop(End end);
  // The element at `index` (0 = front). Requires: index < Size(). Valid until the next change.
  Element Get(size_t index) const;
  // Replaces the element at `index`. Requires: index < Size().
  void Set(size_t index, std::string_view value);
  // Inserts `value` before the element at `index` (Size(): at the back).
  void Insert(size_t index, std::string_view value, int fill);
  // Removes `count` elements from `index` on (fewer when the end comes first).
  void Erase(size_t index, size_t count);
  // Calls f(const Element&) for `count` elements from `index` on, towards the back (towards
  // the front when `reverse`), stopping when f returns false. Requires: the elements exist.
  template <typename F>
  void Visit(size_t index, size_t count, bool reverse, F&& f) const;

  // Redis's list-compress-depth for this list (clamped to 0..65535 as Redis does): compresses
  // or decompresses the nodes to match.
  void set_compress_depth(int depth);
  int compress_depth() const { return compress_depth_; }

  // The nodes, in order (an RDB save writes one listpack per node; ToListpack works on a
  // compressed node too).
  size_t node_count() const { return nodes_.size(); }
  const ListNode& node(size_t i) const { return nodes_[i]; }
  // Appends a whole node (an RDB load). An empty node is dropped.
  void AppendNode(ListNode node);

 private:
  // Whether a node of `node` can take an element of `value_size` bytes under `fill`
  // (Redis's _quicklistNodeAllowInsert).
  static bool AllowsInsert(const ListNode& node, size_t value_size, int fill);
  // The node holding `index` and the index within it.
  struct Position {
    size_t node;
    size_t offset;
  };
  Position Locate(size_t index) const;
  // Runs f(ListNode&) on node `i`, keeping heap_bytes() exact; removes the node if it ends
  // up empty.
  template <typename F>
  void EditNode(size_t i, F&& f);
  void InsertNode(size_t at, ListNode node);
  void RemoveNode(size_t at);
  // Re-accounts the node array after its capacity may have changed from `old_capacity`.
  void AccountArray(size_t old_capacity);
  // Whether node `i` is beyond the compress depth from both ends.
  bool Interior(size_t i) const {
    return compress_depth_ > 0 && i >= compress_depth_ && i + compress_depth_ < nodes_.size();
  }
  // Compresses node `i` if it is interior, decompresses it otherwise (no-op past the end).
  void Settle(size_t i);
  // Settles the nodes that adding or removing a node can move across the depth's bounds.
  void SettleBounds();
  // Node `i` raw (a copy while compressed), for reading.
  const ListNode& Readable(size_t i) const;

  std::vector<ListNode> nodes_;
  size_t size_ = 0;
  uint16_t compress_depth_ = 0;
};

template <typename F>
void ListValue::Visit(size_t index, size_t count, bool reverse, F&& f) const {
  if (count == 0) return;
  Position at = Locate(index);
  bool go_on = true;
  auto step = [&](const Element& element) {
    go_on = f(element);
    return go_on;
  };
  while (count > 0 && go_on) {
    const ListNode& node = Readable(at.node);
    const size_t here = reverse ? at.offset + 1 : node.size() - at.offset;
    const size_t take = here < count ? here : count;
    node.Visit(at.offset, take, reverse, step);
    count -= take;
    if (count == 0 || !go_on) break;
    if (reverse) {
      at.node -= 1;
      at.offset = nodes_[at.node].size() - 1;
    } else {
      at.node += 1;
      at.offset = 0;
    }
  }
}

}  // namespace ember::storage
