// The node format of Redis 7.0's streams (t_stream.c), read and edited in place: a node is
// one Listpack holding a master entry and the entries after it (stream_value.h describes
// the layout). NodeWalker reads a node entry by entry, checking every step, so a malformed
// node (from a corrupt file) ends the walk instead of reading out of bounds.
// Pure functions and a reader over a node; not thread-safe.
#pragma once

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "storage/value/listpack.h"
#include "storage/value/stream_id.h"
#include "storage/value/stream_value.h"

namespace ember::storage {

// Entry flags (Redis's STREAM_ITEM_FLAG_*).
inline constexpr int64_t kFlagDeleted = 1;
inline constexpr int64_t kFlagSameFields = 2;

// The integer at `offset` (Redis's lpGetIntegerIfValid: an integer entry, or a string that
// reads as one); nullopt past the end or for anything else.
inline std::optional<int64_t> IntegerAt(const Listpack& lp, size_t offset) {
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
inline void ReplaceInteger(Listpack& lp, size_t offset, int64_t value) {
  NumberBuffer buffer;
  lp.Replace(offset, std::string_view(buffer.data, FormatInt64(value, buffer.data)));
}

}  // namespace ember::storage
