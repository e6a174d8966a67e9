// StreamValue: the value of a stream key — entries of field/value pairs ordered by StreamId.
//
// Layout: Redis 7.0's own, node for node. Entries live in nodes of at most
// `stream-node-max-entries` entries and `stream-node-max-bytes` bytes, each node one
// Listpack (listpack.h) in the format of Redis's t_stream.c, keyed by its master ID (the ID
// of the first entry added to it):
//   master entry: count | deleted | num-fields | field_1 ... field_N | 0
//   each entry:   flags | ms-delta | seq-delta | [num-fields | field_1 value_1 ...
//                 | value_1 ... (when flags has SAMEFIELDS: the master's fields)] | lp-count
// where the deltas are against the master ID and lp-count is how many elements the entry
// spans before it (for walking backwards). A deleted entry stays as a tombstone (flags has
// DELETED) until its node empties and goes. Since the bytes are Redis's, an RDB file stores
// and loads the nodes as they are, and DUMP payloads are byte-identical to Redis's.
//
// Memory: every node's block and map node are counted in heap_bytes() (collection.h).
// Relocation: never points back at its Value. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/value/chunk_bytes.h"
#include "storage/value/collection.h"
#include "storage/value/listpack.h"
#include "storage/value/stream_groups.h"
#include "storage/value/stream_id.h"

namespace ember::storage {

// stream-node-max-bytes / stream-node-max-entries (Redis 7.0's defaults); 0 means no limit
// (bytes are then capped at 1 GiB, as Redis caps them).
struct StreamNodeLimits {
  size_t max_bytes = 4096;
  int64_t max_entries = 100;
};

class StreamValue final : public Collection {
 public:
  static constexpr ValueType kType = ValueType::kStream;
  // What Redis refuses to put into one entry (STREAM_LISTPACK_MAX_SIZE).
  static constexpr size_t kMaxEntryBytes = size_t{1} << 30;

  struct Field {
    std::string_view name;
    std::string_view value;
  };
  // One entry as a Range visit sees it; views valid during the visit only.
  struct EntryView {
    StreamId id;
    std::span<const Field> fields;
  };

  StreamValue();
  ~StreamValue() override;
  [[nodiscard]] std::unique_ptr<Collection> Clone() const override;
  // The number of entries (tombstones excluded). A stream may be empty and still exist.
  size_t Size() const override { return length_; }
  bool KeptWhenEmpty() const override { return true; }

  // Appends an entry. Requires: id > last_id(); `field_values` alternates names and values
  // (at least one pair). Sets last_id() and counts entries_added().
  void Append(StreamId id, std::span<const std::string_view> field_values, StreamNodeLimits limits);
  // Deletes the live entry `id`; false when there is none.
  bool Delete(StreamId id);
  // Redis's streamTrim: deletes the oldest entries until at most `max_length` remain
  // (TrimToLength) or none older than `min_id` remains (TrimBefore). `approx` removes
  // whole nodes only; `limit` > 0 caps how many entries go. Returns how many went.
  int64_t TrimToLength(uint64_t max_length, bool approx, int64_t limit);
  int64_t TrimBefore(StreamId min_id, bool approx, int64_t limit);

  // Calls visit(const EntryView&) for the live entries with start <= id <= end, in order
  // (from the end when `reverse`), at most `count` of them (0: all); stops early when visit
  // returns false. Returns how many were visited.
  template <typename Visit>
  size_t Range(StreamId start, StreamId end, bool reverse, size_t count, Visit&& visit) const;

  // The first / last live entry's ID; nullopt when there is none.
  std::optional<StreamId> FirstLiveId() const;
  std::optional<StreamId> LastLiveId() const;
  // The first entry's ID, tombstones included. Requires: nodes() not empty.
  StreamId FirstEntryId() const;

  // Redis's streamEstimateDistanceFromFirstEverEntry: how many entries were ever added up
  // to `id` (a group's entries-read at `id`), or kUnknownEntriesRead when deletions or an
  // ID inside the stream make it unknowable.
  int64_t EstimateEntriesRead(StreamId id) const;
  // Redis's streamRangeHasTombstones(s, from, NULL): whether the last deletion lies at or
  // after `from` (among the current entries).
  bool HasTombstonesFrom(StreamId from) const;
  // A group's lag (entries not yet delivered to it), nullopt when unknowable (Redis's
  // streamReplyWithCGLag).
  std::optional<int64_t> GroupLag(const StreamGroup& group) const;

  // The stream's metadata, as Redis keeps and saves it.
  StreamId last_id() const { return last_id_; }
  void set_last_id(StreamId id) { last_id_ = id; }
  StreamId first_id() const { return first_id_; }  // 0-0 when empty
  StreamId max_deleted_id() const { return max_deleted_id_; }
  void set_max_deleted_id(StreamId id) { max_deleted_id_ = id; }
  uint64_t entries_added() const { return entries_added_; }
  void set_entries_added(uint64_t count) { entries_added_ = count; }

  // The consumer groups. EditGroups runs f(StreamGroups&) and re-accounts their memory.
  const StreamGroups& groups() const { return groups_; }
  template <typename F>
  decltype(auto) EditGroups(F&& f) {
    const size_t before = groups_.bytes();
    struct Reaccount {
      StreamValue* self;
      size_t before;
      ~Reaccount() {
        self->RemoveHeapBytes(before);
        self->AddHeapBytes(self->groups_.bytes());
      }
    } reaccount{this, before};
    return f(groups_);
  }

  // The nodes in ID order, each with its master ID (an RDB save writes each key and
  // listpack as they are). A vector, not a tree: 24 bytes a node instead of a tree node's
  // 64, appends at the end and removals (trimming) mostly at the front.
  using Node = std::pair<StreamId, Listpack>;
  // XADD's memory: the last node's slot in the vector, then that node's first bytes (its
  // master entry), then its last ones (where the entry goes).
  bool PrefetchHot(int step) const override;
  const std::vector<Node>& nodes() const { return nodes_; }
  // An RDB load: adopts a node after checking it is a well-formed stream node whose
  // entries all lie after `master` and the previous node's. False with `error` otherwise.
  bool AdoptNode(StreamId master, Listpack node, std::string* error);
  // An RDB load, after the nodes: the stream's metadata as saved. False when `length` is
  // not the number of live entries the nodes hold.
  bool FinishLoad(uint64_t length, StreamId last_id, StreamId first_id, StreamId max_deleted_id,
                  uint64_t entries_added);

 private:
  void VisitEntries(StreamId start, StreamId end, bool reverse, size_t count,
                    const std::function<bool(const EntryView&)>& visit, size_t* visited) const;
  // Marks the entries at `flag_offsets` (their flags entries, ascending) deleted in `node`
  // and moves their count from live to deleted.
  void MarkDeleted(Listpack& node, const std::vector<size_t>& flag_offsets);
  // The first node that may hold `id` (the last whose master ID is not after it), or
  // nodes_.end() when `id` comes before every node.
  std::vector<Node>::iterator NodeFor(StreamId id);
  // Removes nodes [first, last) and re-accounts the vector.
  void EraseNodes(size_t first, size_t last);
  // Appends a node, growing the vector by an eighth (doubling would waste up to 24 bytes a
  // node) and accounting for it.
  void AppendNode(StreamId master, Listpack node);
  // Heap bytes of the vector's block, counted in heap_bytes().
  size_t VectorBytes() const {
    return nodes_.capacity() == 0 ? 0 : ChunkBytes(nodes_.capacity() * sizeof(Node));
  }
  int64_t Trim(bool by_length, uint64_t max_length, StreamId min_id, bool approx, int64_t limit);
  void RefreshFirstId();

  std::vector<Node> nodes_;
  uint64_t length_ = 0;
  StreamId last_id_;
  StreamId first_id_;
  StreamId max_deleted_id_;
  uint64_t entries_added_ = 0;
  StreamGroups groups_;
};

template <typename Visit>
size_t StreamValue::Range(StreamId start, StreamId end, bool reverse, size_t count,
                          Visit&& visit) const {
  size_t visited = 0;
  if (start > end || length_ == 0) return 0;
  VisitEntries(start, end, reverse, count, std::function<bool(const EntryView&)>(visit), &visited);
  return visited;
}

}  // namespace ember::storage
