#include "storage/value/stream_value.h"

#include <algorithm>
#include <charconv>

#include "storage/value/chunk_bytes.h"
#include "storage/value/number_format.h"

namespace ember::storage {
namespace {

// Entry flags (Redis's STREAM_ITEM_FLAG_*).
constexpr int64_t kFlagDeleted = 1;
constexpr int64_t kFlagSameFields = 2;

// A map node holding one listpack: libstdc++'s red-black node header (32 bytes) plus the
// key and the Listpack handle.
constexpr size_t kMapNodeBytes = 32 + sizeof(std::pair<const StreamId, Listpack>);

std::optional<int64_t> IntegerAt(const Listpack& lp, size_t offset) {
  if (offset == Listpack::kNoEntry) return std::nullopt;
  const Listpack::Element element = lp.Get(offset);
  if (element.is_integer) return element.integer;
  int64_t value = 0;
  const std::string_view text = element.bytes;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

struct NodeEntry {
  size_t flags_offset = Listpack::kNoEntry;
  int64_t flags = 0;
  StreamId id;
  int64_t num_fields = 0;
  size_t fields_offset = Listpack::kNoEntry;  // first value (same fields) or first name
};

// Reads one node: its master entry at construction, then its entries in order. Every step
// is checked, so a malformed node (from a corrupt file) ends the walk with ok() false
// instead of reading out of bounds.
class NodeWalker {
 public:
  NodeWalker(StreamId master, const Listpack& lp) : master_(master), lp_(lp) {
    size_t pos = lp.First();
    const std::optional<int64_t> live = IntegerAt(lp, pos);
    pos = Step(pos);
    const std::optional<int64_t> deleted = IntegerAt(lp, pos);
    pos = Step(pos);
    const std::optional<int64_t> fields = IntegerAt(lp, pos);
    if (!live || !deleted || !fields || *live < 0 || *deleted < 0 || *fields <= 0) return;
    live_ = *live;
    deleted_ = *deleted;
    for (int64_t i = 0; i < *fields; ++i) {
      pos = Step(pos);
      if (pos == Listpack::kNoEntry) return;
      master_fields_.push_back(pos);
    }
    pos = Step(pos);
    if (IntegerAt(lp, pos) != 0) return;  // the master entry's zero terminator
    next_ = Step(pos);
    ok_ = true;
  }

  bool ok() const { return ok_; }
  int64_t live() const { return live_; }
  int64_t deleted() const { return deleted_; }
  const std::vector<size_t>& master_fields() const { return master_fields_; }

  // The next entry; false at the end of the node, or when it is malformed (ok() false).
  bool Next(NodeEntry* entry) {
    if (!ok_ || next_ == Listpack::kNoEntry) return false;
    size_t pos = next_;
    const std::optional<int64_t> flags = IntegerAt(lp_, pos);
    pos = Step(pos);
    const std::optional<int64_t> ms_delta = IntegerAt(lp_, pos);
    pos = Step(pos);
    const std::optional<int64_t> seq_delta = IntegerAt(lp_, pos);
    if (!flags || !ms_delta || !seq_delta) return Fail();
    entry->flags_offset = next_;
    entry->flags = *flags;
    entry->id = {master_.ms + static_cast<uint64_t>(*ms_delta),
                 master_.seq + static_cast<uint64_t>(*seq_delta)};
    int64_t elements = 3;
    if ((*flags & kFlagSameFields) != 0) {
      entry->num_fields = static_cast<int64_t>(master_fields_.size());
      entry->fields_offset = Step(pos);
      pos = entry->fields_offset;
      for (int64_t i = 1; i < entry->num_fields && pos != Listpack::kNoEntry; ++i) pos = Step(pos);
      elements += entry->num_fields;
    } else {
      pos = Step(pos);
      const std::optional<int64_t> count = IntegerAt(lp_, pos);
      if (!count || *count <= 0 || *count > (1 << 30)) return Fail();
      entry->num_fields = *count;
      entry->fields_offset = Step(pos);
      pos = entry->fields_offset;
      for (int64_t i = 1; i < 2 * *count && pos != Listpack::kNoEntry; ++i) pos = Step(pos);
      elements += 1 + 2 * *count;
    }
    if (pos == Listpack::kNoEntry) return Fail();
    pos = Step(pos);
    if (IntegerAt(lp_, pos) != elements) return Fail();  // lp-count
    next_ = Step(pos);
    return true;
  }

  // The names and values of `entry`, into `out` (integers rendered into `scratch`, which
  // must hold 2 * num_fields buffers).
  void Fields(const NodeEntry& entry, std::vector<StreamValue::Field>* out,
              std::vector<NumberBuffer>* scratch) const {
    out->clear();
    scratch->resize(2 * static_cast<size_t>(entry.num_fields));
    size_t pos = entry.fields_offset;
    for (int64_t i = 0; i < entry.num_fields; ++i) {
      StreamValue::Field field;
      NumberBuffer& name_buffer = (*scratch)[2 * i];
      NumberBuffer& value_buffer = (*scratch)[2 * i + 1];
      if ((entry.flags & kFlagSameFields) != 0) {
        field.name = lp_.Get(master_fields_[i]).View(name_buffer);
      } else {
        field.name = lp_.Get(pos).View(name_buffer);
        pos = lp_.Next(pos);
      }
      field.value = lp_.Get(pos).View(value_buffer);
      pos = lp_.Next(pos);
      out->push_back(field);
    }
  }

 private:
  size_t Step(size_t pos) const { return pos == Listpack::kNoEntry ? pos : lp_.Next(pos); }
  bool Fail() {
    ok_ = false;
    return false;
  }

  StreamId master_;
  const Listpack& lp_;
  std::vector<size_t> master_fields_;
  int64_t live_ = 0;
  int64_t deleted_ = 0;
  size_t next_ = Listpack::kNoEntry;
  bool ok_ = false;
};

// Overwrites the integer entry at `offset` (Redis's lpReplaceInteger).
void ReplaceInteger(Listpack& lp, size_t offset, int64_t value) {
  NumberBuffer buffer;
  lp.Replace(offset, std::string_view(buffer.data, FormatInt64(value, buffer.data)));
}

}  // namespace

StreamValue::StreamValue()
    : Collection(ValueType::kStream, CollectionEncoding::kStream, sizeof(StreamValue)) {}

StreamValue::~StreamValue() = default;

std::unique_ptr<Collection> StreamValue::Clone() const {
  auto copy = std::make_unique<StreamValue>();
  for (const auto& [master, node] : nodes_) {
    copy->AddHeapBytes(NodeCost(node));
    copy->nodes_.emplace(master, node.Clone());
  }
  copy->length_ = length_;
  copy->last_id_ = last_id_;
  copy->first_id_ = first_id_;
  copy->max_deleted_id_ = max_deleted_id_;
  copy->entries_added_ = entries_added_;
  return copy;
}

size_t StreamValue::NodeCost(const Listpack& node) const {
  return ChunkBytes(kMapNodeBytes) + node.HeapBytes();
}

void StreamValue::Append(StreamId id, std::span<const std::string_view> field_values,
                         StreamNodeLimits limits) {
  const int64_t num_fields = static_cast<int64_t>(field_values.size() / 2);
  size_t value_bytes = 0;
  for (std::string_view element : field_values) value_bytes += element.size();
  size_t max_bytes = limits.max_bytes;
  if (max_bytes == 0 || max_bytes > kMaxEntryBytes) max_bytes = kMaxEntryBytes;

  auto tail = nodes_.empty() ? nodes_.end() : std::prev(nodes_.end());
  if (tail != nodes_.end()) {
    NodeWalker walker(tail->first, tail->second);
    const bool full_bytes = tail->second.bytes().size() + value_bytes >= max_bytes;
    const bool full_entries =
        limits.max_entries > 0 && walker.live() + walker.deleted() >= limits.max_entries;
    if (full_bytes || full_entries) tail = nodes_.end();
  }

  int64_t flags = 0;
  if (tail == nodes_.end()) {
    Listpack node;
    node.AppendInteger(1);
    node.AppendInteger(0);
    node.AppendInteger(num_fields);
    for (int64_t i = 0; i < num_fields; ++i) node.Append(field_values[2 * i]);
    node.AppendInteger(0);
    AddHeapBytes(NodeCost(node));
    tail = nodes_.emplace(id, std::move(node)).first;
    flags = kFlagSameFields;
  } else {
    RemoveHeapBytes(tail->second.HeapBytes());
    Listpack& node = tail->second;
    NodeWalker walker(tail->first, node);
    ReplaceInteger(node, node.First(), walker.live() + 1);
    NodeWalker master(tail->first, node);  // offsets after the replace
    const std::vector<size_t>& names = master.master_fields();
    if (static_cast<int64_t>(names.size()) == num_fields) {
      bool same = true;
      for (int64_t i = 0; i < num_fields && same; ++i) {
        same = node.Get(names[i]).Equals(field_values[2 * i]);
      }
      if (same) flags = kFlagSameFields;
    }
    AddHeapBytes(node.HeapBytes());
  }

  Listpack& node = tail->second;
  RemoveHeapBytes(node.HeapBytes());
  node.AppendInteger(flags);
  node.AppendInteger(static_cast<int64_t>(id.ms - tail->first.ms));
  node.AppendInteger(static_cast<int64_t>(id.seq - tail->first.seq));
  const bool same = (flags & kFlagSameFields) != 0;
  if (!same) node.AppendInteger(num_fields);
  for (int64_t i = 0; i < num_fields; ++i) {
    if (!same) node.Append(field_values[2 * i]);
    node.Append(field_values[2 * i + 1]);
  }
  node.AppendInteger(same ? num_fields + 3 : 2 * num_fields + 4);
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
  auto first = nodes_.upper_bound(start);
  if (first != nodes_.begin()) --first;
  auto last = nodes_.upper_bound(end);  // one past the last node that may hold `end`
  if (first == last) return;
  auto visit_node = [&](const std::pair<const StreamId, Listpack>& node) {
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

void StreamValue::EraseNode(std::map<StreamId, Listpack>::iterator node) {
  RemoveHeapBytes(NodeCost(node->second));
  nodes_.erase(node);
}

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
  auto node = nodes_.upper_bound(id);
  if (node == nodes_.begin()) return false;
  --node;
  NodeWalker walker(node->first, node->second);
  NodeEntry entry;
  while (walker.Next(&entry)) {
    if (entry.id < id) continue;
    if (entry.id > id || (entry.flags & kFlagDeleted) != 0) return false;
    if (walker.live() == 1) {
      EraseNode(node);
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
      auto next = std::next(node);
      EraseNode(node);
      node = next;
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
  if (length_ == 0) {
    first_id_ = {};
  } else if (deleted > 0) {
    RefreshFirstId();
  }
  return deleted;
}

bool StreamValue::AdoptNode(StreamId master, Listpack node, std::string* error) {
  if (!nodes_.empty() && master <= std::prev(nodes_.end())->first) {
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
  AddHeapBytes(ChunkBytes(kMapNodeBytes) + node.HeapBytes());
  nodes_.emplace(master, std::move(node));
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
