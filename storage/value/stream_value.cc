#include "storage/value/stream_value.h"

#include <algorithm>
#include <charconv>
#include <iterator>

#include "storage/table/prefetch.h"
#include "storage/value/chunk_bytes.h"
#include "storage/value/number_format.h"
#include "storage/value/stream_node.h"

namespace ember::storage {
namespace {}  // namespace

StreamValue::StreamValue()
    : Collection(ValueType::kStream, CollectionEncoding::kStream, sizeof(StreamValue)) {}

StreamValue::~StreamValue() = default;

std::unique_ptr<Collection> StreamValue::Clone() const {
  auto copy = std::make_unique<StreamValue>();
  copy->nodes_.reserve(nodes_.capacity());
  copy->AddHeapBytes(copy->VectorBytes());
  for (const auto& [master, node] : nodes_) {
    copy->AddHeapBytes(node.HeapBytes());
    copy->nodes_.emplace_back(master, node.Clone());
  }
  copy->length_ = length_;
  copy->last_id_ = last_id_;
  copy->first_id_ = first_id_;
  copy->max_deleted_id_ = max_deleted_id_;
  copy->entries_added_ = entries_added_;
  copy->groups_ = groups_;
  copy->groups_.RecountBytes();
  copy->AddHeapBytes(copy->groups_.bytes());
  return copy;
}

std::vector<StreamValue::Node>::iterator StreamValue::NodeFor(StreamId id) {
  auto after = std::upper_bound(nodes_.begin(), nodes_.end(), id,
                                [](StreamId key, const Node& node) { return key < node.first; });
  return after == nodes_.begin() ? nodes_.end() : std::prev(after);
}

bool StreamValue::PrefetchHot(int step) const {
  if (nodes_.empty()) return false;
  if (step == 0) {
    PrefetchForRead(&nodes_.back());
    return true;
  }
  if (step == 1) {
    PrefetchForRead(nodes_.back().second.block());
    return true;
  }
  if (step == 2) {
    const std::string_view bytes = nodes_.back().second.bytes();
    PrefetchForRead(bytes.data() + bytes.size() - 1);
  }
  return false;
}

void StreamValue::AppendNode(StreamId master, Listpack node) {
  AddHeapBytes(node.HeapBytes());
  if (nodes_.size() == nodes_.capacity()) {
    RemoveHeapBytes(VectorBytes());
    nodes_.reserve(nodes_.size() + nodes_.size() / 8 + 4);
    AddHeapBytes(VectorBytes());
  }
  nodes_.emplace_back(master, std::move(node));
}

void StreamValue::EraseNodes(size_t first, size_t last) {
  if (first >= last) return;
  for (size_t i = first; i < last; ++i) RemoveHeapBytes(nodes_[i].second.HeapBytes());
  nodes_.erase(nodes_.begin() + static_cast<ptrdiff_t>(first),
               nodes_.begin() + static_cast<ptrdiff_t>(last));
  // Give back a block that trimming left mostly empty.
  if (nodes_.capacity() > 2 * nodes_.size() + 16) {
    RemoveHeapBytes(VectorBytes());
    std::vector<Node> smaller;
    smaller.reserve(nodes_.size() + nodes_.size() / 8 + 4);
    std::move(nodes_.begin(), nodes_.end(), std::back_inserter(smaller));
    nodes_.swap(smaller);
    AddHeapBytes(VectorBytes());
  }
}

void StreamValue::Append(StreamId id, std::span<const std::string_view> field_values,
                         StreamNodeLimits limits) {
  const int64_t num_fields = static_cast<int64_t>(field_values.size() / 2);
  size_t value_bytes = 0;
  for (std::string_view element : field_values) value_bytes += element.size();
  size_t max_bytes = limits.max_bytes;
  if (max_bytes == 0 || max_bytes > kMaxEntryBytes) max_bytes = kMaxEntryBytes;

  // The master entry's counts, read in place (no walk: this is XADD's hot path).
  int64_t live = 0;
  bool new_node = nodes_.empty();
  if (!new_node) {
    const Listpack& last = nodes_.back().second;
    live = IntegerAt(last, last.First()).value_or(0);
    const int64_t deleted = IntegerAt(last, last.Next(last.First())).value_or(0);
    const bool full_bytes = last.bytes().size() + value_bytes >= max_bytes;
    const bool full_entries = limits.max_entries > 0 && live + deleted >= limits.max_entries;
    new_node = full_bytes || full_entries;
  }

  int64_t flags = 0;
  if (new_node) {
    Listpack node;
    node.AppendInteger(1);
    node.AppendInteger(0);
    node.AppendInteger(num_fields);
    for (int64_t i = 0; i < num_fields; ++i) node.Append(field_values[2 * i]);
    node.AppendInteger(0);
    AppendNode(id, std::move(node));
    flags = kFlagSameFields;
  }
  Node* const tail = &nodes_.back();
  Listpack& node = tail->second;
  RemoveHeapBytes(node.HeapBytes());
  if (!new_node) {
    // Same fields as the master entry: live, deleted, num-fields, then the names (compared
    // before the count changes any offset).
    size_t pos = node.Next(node.Next(node.First()));
    if (IntegerAt(node, pos) == num_fields) {
      bool same = true;
      for (int64_t i = 0; i < num_fields && same; ++i) {
        pos = node.Next(pos);
        same = pos != Listpack::kNoEntry && node.Get(pos).Equals(field_values[2 * i]);
      }
      if (same) flags = kFlagSameFields;
    }
    ReplaceInteger(node, node.First(), live + 1);
  }
  const bool same = (flags & kFlagSameFields) != 0;
  // flags, ms-delta, seq-delta, [num-fields, name, value... | value...], lp-count: one
  // growth, the items on the stack for entries of up to a dozen fields.
  constexpr size_t kInlineItems = 32;
  const size_t item_count = field_values.size() + 5;
  Listpack::Item inline_items[kInlineItems];
  std::vector<Listpack::Item> heap_items;
  if (item_count > kInlineItems) heap_items.resize(item_count);
  Listpack::Item* const slots = item_count > kInlineItems ? heap_items.data() : inline_items;
  size_t used = 0;
  auto integer = [&](int64_t value) { slots[used++] = {true, value, {}}; };
  integer(flags);
  integer(static_cast<int64_t>(id.ms - tail->first.ms));
  integer(static_cast<int64_t>(id.seq - tail->first.seq));
  if (!same) integer(num_fields);
  for (int64_t i = 0; i < num_fields; ++i) {
    if (!same) slots[used++] = {false, 0, field_values[2 * i]};
    slots[used++] = {false, 0, field_values[2 * i + 1]};
  }
  integer(same ? num_fields + 3 : 2 * num_fields + 4);
  node.AppendItems(std::span<const Listpack::Item>(slots, used));
  AddHeapBytes(node.HeapBytes());

  ++length_;
  ++entries_added_;
  last_id_ = id;
  if (length_ == 1) first_id_ = id;
}

void StreamValue::VisitEntries(StreamId start, StreamId end, bool reverse, size_t count,
                               const std::function<bool(const EntryView&)>& visit,
                               size_t* visited) const {
  std::vector<Field> fields;
  std::vector<NumberBuffer> scratch;
  std::vector<NodeEntry> entries;
  // The node that may hold `start` is the last one whose master ID is not after it.
  const auto after = [](StreamId key, const Node& node) { return key < node.first; };
  auto first = std::upper_bound(nodes_.begin(), nodes_.end(), start, after);
  if (first != nodes_.begin()) --first;
  auto last = std::upper_bound(nodes_.begin(), nodes_.end(), end, after);
  if (first >= last) return;
  auto visit_node = [&](const Node& node) {
    NodeWalker walker(node.first, node.second);
    entries.clear();
    NodeEntry entry;
    while (walker.Next(&entry)) {
      if ((entry.flags & kFlagDeleted) == 0 && entry.id >= start && entry.id <= end) {
        entries.push_back(entry);
      }
    }
    if (reverse) std::reverse(entries.begin(), entries.end());
    for (const NodeEntry& e : entries) {
      walker.Fields(e, &fields, &scratch);
      ++*visited;
      if (!visit(EntryView{e.id, fields})) return false;
      if (count != 0 && *visited >= count) return false;
    }
    return true;
  };
  if (!reverse) {
    for (auto it = first; it != last; ++it) {
      if (!visit_node(*it)) return;
    }
  } else {
    for (auto it = last; it != first;) {
      --it;
      if (!visit_node(*it)) return;
    }
  }
}

std::optional<StreamId> StreamValue::FirstLiveId() const {
  std::optional<StreamId> found;
  Range(StreamId::Min(), StreamId::Max(), false, 1, [&](const EntryView& entry) {
    found = entry.id;
    return false;
  });
  return found;
}

std::optional<StreamId> StreamValue::LastLiveId() const {
  std::optional<StreamId> found;
  Range(StreamId::Min(), StreamId::Max(), true, 1, [&](const EntryView& entry) {
    found = entry.id;
    return false;
  });
  return found;
}

StreamId StreamValue::FirstEntryId() const {
  const auto& [master, node] = *nodes_.begin();
  NodeWalker walker(master, node);
  NodeEntry entry;
  return walker.Next(&entry) ? entry.id : master;
}

void StreamValue::RefreshFirstId() { first_id_ = length_ == 0 ? StreamId{} : *FirstLiveId(); }

void StreamValue::MarkDeleted(Listpack& node, const std::vector<size_t>& flag_offsets) {
  RemoveHeapBytes(node.HeapBytes());
  // Back to front, so each replace leaves the offsets before it valid.
  for (auto it = flag_offsets.rbegin(); it != flag_offsets.rend(); ++it) {
    const int64_t flags = *IntegerAt(node, *it);
    ReplaceInteger(node, *it, flags | kFlagDeleted);
  }
  const int64_t marked = static_cast<int64_t>(flag_offsets.size());
  const size_t live_offset = node.First();
  const int64_t live = *IntegerAt(node, live_offset);
  const int64_t deleted = *IntegerAt(node, node.Next(live_offset));
  ReplaceInteger(node, node.Next(node.First()), deleted + marked);
  ReplaceInteger(node, node.First(), live - marked);
  AddHeapBytes(node.HeapBytes());
}

bool StreamValue::Delete(StreamId id) {
  if (length_ == 0) return false;
  auto node = NodeFor(id);
  if (node == nodes_.end()) return false;
  NodeWalker walker(node->first, node->second);
  NodeEntry entry;
  while (walker.Next(&entry)) {
    if (entry.id < id) continue;
    if (entry.id > id || (entry.flags & kFlagDeleted) != 0) return false;
    if (walker.live() == 1) {
      const auto index = static_cast<size_t>(node - nodes_.begin());
      EraseNodes(index, index + 1);
    } else {
      MarkDeleted(node->second, {entry.flags_offset});
    }
    --length_;
    if (id == first_id_) RefreshFirstId();
    if (length_ == 0) first_id_ = {};
    return true;
  }
  return false;
}

int64_t StreamValue::TrimToLength(uint64_t max_length, bool approx, int64_t limit) {
  return Trim(true, max_length, {}, approx, limit);
}

int64_t StreamValue::TrimBefore(StreamId min_id, bool approx, int64_t limit) {
  return Trim(false, 0, min_id, approx, limit);
}

// Redis's streamTrim, step for step: whole nodes from the head while they can go, then
// (unless approximate) tombstones inside the first node that cannot.
int64_t StreamValue::Trim(bool by_length, uint64_t max_length, StreamId min_id, bool approx,
                          int64_t limit) {
  int64_t deleted = 0;
  size_t removed = 0;  // whole nodes going from the front, erased at the end
  for (auto node = nodes_.begin(); node != nodes_.end();) {
    if (by_length && length_ <= max_length) break;
    NodeWalker walker(node->first, node->second);
    const int64_t entries = walker.live();
    if (limit > 0 && deleted + entries > limit) break;
    bool remove_node = false;
    if (by_length) {
      remove_node = length_ - static_cast<uint64_t>(entries) >= max_length;
    } else {
      // The node goes when its last entry (tombstone or not) is before min_id.
      NodeEntry entry;
      std::optional<StreamId> last;
      NodeWalker scan(node->first, node->second);
      while (scan.Next(&entry)) last = entry.id;
      remove_node = last.has_value() && *last < min_id;
    }
    if (remove_node) {
      length_ -= static_cast<uint64_t>(entries);
      deleted += entries;
      ++removed;
      ++node;
      continue;
    }
    if (approx) break;
    std::vector<size_t> marked;
    NodeEntry entry;
    uint64_t remaining = length_;
    while (walker.Next(&entry)) {
      const bool stop = by_length ? remaining <= max_length : entry.id >= min_id;
      if (stop) break;
      if ((entry.flags & kFlagDeleted) == 0) {
        marked.push_back(entry.flags_offset);
        --remaining;
      }
    }
    if (!marked.empty()) MarkDeleted(node->second, marked);
    length_ = remaining;
    deleted += static_cast<int64_t>(marked.size());
    break;
  }
  EraseNodes(0, removed);
  if (length_ == 0) {
    first_id_ = {};
  } else if (deleted > 0) {
    RefreshFirstId();
  }
  return deleted;
}

int64_t StreamValue::EstimateEntriesRead(StreamId id) const {
  if (entries_added_ == 0) return 0;
  if (length_ == 0 && id <= last_id_) return static_cast<int64_t>(entries_added_);
  if (id == last_id_) return static_cast<int64_t>(entries_added_);
  if (id > last_id_) return kUnknownEntriesRead;
  if (max_deleted_id_.is_zero() || max_deleted_id_ < first_id_) {
    // No deletion after the first entry: the count up to it is known.
    if (id < first_id_) return static_cast<int64_t>(entries_added_ - length_);
    if (id == first_id_) return static_cast<int64_t>(entries_added_ - length_ + 1);
  }
  return kUnknownEntriesRead;
}

bool StreamValue::HasTombstonesFrom(StreamId from) const {
  if (length_ == 0 || max_deleted_id_.is_zero()) return false;
  if (first_id_ > max_deleted_id_) return false;
  return from <= max_deleted_id_;
}

std::optional<int64_t> StreamValue::GroupLag(const StreamGroup& group) const {
  if (entries_added_ == 0) return 0;
  if (group.entries_read != kUnknownEntriesRead && !HasTombstonesFrom(group.last_id)) {
    return static_cast<int64_t>(entries_added_) - group.entries_read;
  }
  const int64_t entries_read = EstimateEntriesRead(group.last_id);
  if (entries_read == kUnknownEntriesRead) return std::nullopt;
  return static_cast<int64_t>(entries_added_) - entries_read;
}

bool StreamValue::AdoptNode(StreamId master, Listpack node, std::string* error) {
  if (!nodes_.empty() && master <= nodes_.back().first) {
    *error = "stream node keys are not in ascending order";
    return false;
  }
  NodeWalker walker(master, node);
  if (!walker.ok()) {
    *error = "stream node has a malformed master entry";
    return false;
  }
  int64_t live = 0;
  int64_t deleted = 0;
  NodeEntry entry;
  std::optional<StreamId> previous;
  while (walker.Next(&entry)) {
    if (entry.id < master || (previous && entry.id <= *previous)) {
      *error = "stream node entries are out of order";
      return false;
    }
    previous = entry.id;
    ((entry.flags & kFlagDeleted) != 0 ? deleted : live) += 1;
  }
  if (!walker.ok() || live != walker.live() || deleted != walker.deleted() || live == 0) {
    *error = "stream node is malformed or its counts do not match its entries";
    return false;
  }
  AppendNode(master, std::move(node));
  length_ += static_cast<uint64_t>(live);
  return true;
}

bool StreamValue::FinishLoad(uint64_t length, StreamId last_id, StreamId first_id,
                             StreamId max_deleted_id, uint64_t entries_added) {
  if (length != length_) return false;
  if (const std::optional<StreamId> last = LastLiveId(); last && *last > last_id) return false;
  last_id_ = last_id;
  first_id_ = length_ == 0 ? StreamId{} : first_id;
  max_deleted_id_ = max_deleted_id;
  entries_added_ = entries_added;
  return true;
}

}  // namespace ember::storage
