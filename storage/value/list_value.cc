#include "storage/value/list_value.h"

#include <algorithm>
#include <utility>

#include "storage/value/chunk_bytes.h"
#include "storage/value/number_format.h"

namespace ember::storage {

namespace {

// Redis 7.0's quicklist limits: the byte sizes of negative fills -1..-5, the byte limit
// that also bounds a positive (count) fill, the per-element overestimate of listpack
// overhead, and the clamp of the setting.
constexpr size_t kFillBytes[] = {4096, 8192, 16384, 32768, 65536};
constexpr size_t kSafetyLimitBytes = 8192;
constexpr size_t kEntryOverheadEstimate = 8;
constexpr int kMinFill = -5;
constexpr int kMaxFill = (1 << 15) - 1;

}  // namespace

ListValue::ListValue() : Collection(kType, CollectionEncoding::kQuicklist, sizeof(ListValue)) {}

ListValue::~ListValue() = default;

std::unique_ptr<Collection> ListValue::Clone() const {
  auto copy = std::make_unique<ListValue>();
  copy->compress_depth_ = compress_depth_;  // the nodes come as they are
  copy->nodes_.reserve(nodes_.size());
  copy->AccountArray(0);
  for (const ListNode& node : nodes_) copy->AppendNode(node.Clone());
  return copy;
}

bool ListValue::AllowsInsert(const ListNode& node, size_t value_size, int fill) {
  fill = std::clamp(fill, kMinFill, kMaxFill);
  const size_t new_bytes = node.FillBytes() + value_size + kEntryOverheadEstimate;
  if (fill < 0) return new_bytes <= kFillBytes[-fill - 1];
  return new_bytes <= kSafetyLimitBytes && node.size() < static_cast<size_t>(fill);
}

void ListValue::Push(End end, std::string_view value, int fill) {
  const bool front = end == End::kFront;
  if (nodes_.empty() || !AllowsInsert(front ? nodes_.front() : nodes_.back(), value.size(), fill)) {
    // The full end node grows no more: give back the room it kept for growth.
    if (!nodes_.empty())
      EditNode(front ? 0 : nodes_.size() - 1, [](ListNode& node) { node.Trim(); });
    InsertNode(front ? 0 : nodes_.size(), ListNode());
  }
  const size_t i = front ? 0 : nodes_.size() - 1;
  EditNode(i, [&](ListNode& node) { node.Insert(front ? 0 : node.size(), value); });
  ++size_;
}

std::string ListValue::Pop(End end) {
  const bool front = end == End::kFront;
  const size_t i = front ? 0 : nodes_.size() - 1;
  const size_t offset = front ? 0 : nodes_[i].size() - 1;
  NumberBuffer scratch;
  std::string text(nodes_[i].Get(offset).View(scratch));
  EditNode(i, [&](ListNode& node) { node.Erase(offset, 1); });
  --size_;
  return text;
}

ListValue::Element ListValue::Get(size_t index) const {
  const Position at = Locate(index);
  return Readable(at.node).Get(at.offset);
}

const ListNode& ListValue::Readable(size_t i) const {
  if (!nodes_[i].compressed()) return nodes_[i];
  thread_local ListNode copy;
  copy = nodes_[i].Decompressed();
  return copy;
}

void ListValue::set_compress_depth(int depth) {
  compress_depth_ = static_cast<uint16_t>(std::clamp(depth, 0, 65535));
  for (size_t i = 0; i < nodes_.size(); ++i) Settle(i);
}

void ListValue::Settle(size_t i) {
  if (i >= nodes_.size()) return;
  ListNode& node = nodes_[i];
  const bool interior = Interior(i);
  if (interior == node.compressed()) return;
  const size_t before = node.HeapBytes();
  if (interior) {
    node.Compress();  // stays raw when LZF does not pay
  } else {
    node.Decompress();
  }
  RemoveHeapBytes(before);
  AddHeapBytes(node.HeapBytes());
}

void ListValue::SettleBounds() {
  if (compress_depth_ == 0) return;
  const size_t depth = compress_depth_;
  const size_t n = nodes_.size();
  Settle(depth - 1);
  Settle(depth);
  if (n > depth) {
    Settle(n - depth - 1);
    Settle(n - depth);
  }
}

void ListValue::Set(size_t index, std::string_view value) {
  const Position at = Locate(index);
  EditNode(at.node, [&](ListNode& node) { node.Replace(at.offset, value); });
}

void ListValue::Insert(size_t index, std::string_view value, int fill) {
  if (index == 0) return Push(End::kFront, value, fill);
  if (index >= size_) return Push(End::kBack, value, fill);
  const Position at = Locate(index);
  if (AllowsInsert(nodes_[at.node], value.size(), fill)) {
    EditNode(at.node, [&](ListNode& node) { node.Insert(at.offset, value); });
  } else if (at.offset == 0) {
    // Before a full node's first element: the end of the node before it (there is one,
    // index > 0), or a node of its own.
    if (AllowsInsert(nodes_[at.node - 1], value.size(), fill)) {
      EditNode(at.node - 1, [&](ListNode& node) { node.Insert(node.size(), value); });
    } else {
      ListNode alone;
      alone.Insert(0, value);
      InsertNode(at.node, std::move(alone));
    }
  } else {
    // A full node splits at the insertion point, as Redis's quicklist does; the element
    // then ends the front part when it fits there, or gets a node between the two.
    ListNode tail;
    EditNode(at.node, [&](ListNode& node) { tail = node.SplitOff(at.offset); });
    InsertNode(at.node + 1, std::move(tail));
    if (AllowsInsert(nodes_[at.node], value.size(), fill)) {
      EditNode(at.node, [&](ListNode& node) { node.Insert(node.size(), value); });
    } else {
      ListNode middle;
      middle.Insert(0, value);
      InsertNode(at.node + 1, std::move(middle));
    }
  }
  ++size_;
}

void ListValue::Erase(size_t index, size_t count) {
  if (index >= size_) return;
  count = std::min(count, size_ - index);
  Position at = Locate(index);
  while (count > 0) {
    const size_t here = std::min(count, nodes_[at.node].size() - at.offset);
    const size_t before = nodes_.size();
    EditNode(at.node, [&](ListNode& node) { node.Erase(at.offset, here); });
    size_ -= here;
    count -= here;
    // The next elements start the next node, which is at the same index when this one went.
    if (nodes_.size() == before) at.node += 1;
    at.offset = 0;
  }
}

void ListValue::AppendNode(ListNode node) {
  if (node.empty()) return;
  size_ += node.size();
  InsertNode(nodes_.size(), std::move(node));
}

ListValue::Position ListValue::Locate(size_t index) const {
  if (index < size_ / 2) {
    size_t node = 0;
    while (index >= nodes_[node].size()) index -= nodes_[node++].size();
    return {node, index};
  }
  size_t node = nodes_.size() - 1;
  size_t from_back = size_ - 1 - index;
  while (from_back >= nodes_[node].size()) from_back -= nodes_[node--].size();
  return {node, nodes_[node].size() - 1 - from_back};
}

template <typename F>
void ListValue::EditNode(size_t i, F&& f) {
  const size_t before = nodes_[i].HeapBytes();
  if (nodes_[i].compressed()) nodes_[i].Decompress();
  f(nodes_[i]);
  RemoveHeapBytes(before);
  AddHeapBytes(nodes_[i].HeapBytes());
  if (nodes_[i].empty()) {
    RemoveNode(i);
  } else {
    Settle(i);
  }
}

void ListValue::InsertNode(size_t at, ListNode node) {
  const size_t capacity = nodes_.capacity();
  AddHeapBytes(node.HeapBytes());
  nodes_.insert(nodes_.begin() + static_cast<std::ptrdiff_t>(at), std::move(node));
  AccountArray(capacity);
  Settle(at);
  SettleBounds();
}

void ListValue::RemoveNode(size_t at) {
  const size_t capacity = nodes_.capacity();
  RemoveHeapBytes(nodes_[at].HeapBytes());
  nodes_.erase(nodes_.begin() + static_cast<std::ptrdiff_t>(at));
  if (nodes_.empty()) std::vector<ListNode>().swap(nodes_);
  AccountArray(capacity);
  SettleBounds();
}

void ListValue::AccountArray(size_t old_capacity) {
  if (old_capacity == nodes_.capacity()) return;
  if (old_capacity > 0) RemoveChunk(old_capacity * sizeof(ListNode));
  if (nodes_.capacity() > 0) AddChunk(nodes_.capacity() * sizeof(ListNode));
}

}  // namespace ember::storage
