// StreamGroups: a stream's consumer groups, as Redis 7.0 keeps them (stream.h): per group the
// last delivered ID, the entries-read counter, the pending entries list (PEL: each delivered,
// unacknowledged entry with its delivery time, delivery count and owning consumer) and the
// consumers (each with its seen time and its own pending IDs). Groups and consumers are
// ordered by name bytes, as Redis's radix trees order them.
//
// Memory: every map and set node and every name longer than a string's inline capacity is
// counted in bytes() as the changes happen (the stream adds it to its heap_bytes);
// Recount() computes the same figure from scratch, which tests compare.
// Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "storage/value/stream_id.h"

namespace ember::storage {

struct StreamPending {
  int64_t delivery_time = 0;  // unix ms of the last delivery
  uint64_t delivery_count = 0;
  std::string consumer;  // the consumer it was last delivered to
};

struct StreamConsumer {
  int64_t seen_time = 0;  // unix ms of its last read or claim
  std::set<StreamId> pending;
};

// Redis's SCG_INVALID_ENTRIES_READ: the group's entries-read counter is unknown.
inline constexpr int64_t kUnknownEntriesRead = -1;

struct StreamGroup {
  StreamId last_id;
  int64_t entries_read = kUnknownEntriesRead;
  std::map<StreamId, StreamPending> pending;
  std::map<std::string, StreamConsumer, std::less<>> consumers;
};

class StreamGroups {
 public:
  using GroupMap = std::map<std::string, StreamGroup, std::less<>>;

  const GroupMap& groups() const { return groups_; }
  size_t size() const { return groups_.size(); }
  bool empty() const { return groups_.empty(); }
  // Heap bytes of every node and name, in allocator chunks.
  size_t bytes() const { return bytes_; }
  size_t Recount() const;
  // Sets bytes() from Recount() (a copy, whose strings may hold less spare capacity).
  void RecountBytes() { bytes_ = Recount(); }

  StreamGroup* Find(std::string_view name);
  const StreamGroup* Find(std::string_view name) const;
  // nullptr when a group of that name exists already.
  StreamGroup* Create(std::string_view name, StreamId last_id, int64_t entries_read);
  bool Destroy(std::string_view name);

  // The consumer `name` of `group`; created (with seen time `now_ms`) when absent, and then
  // `*created` is set.
  StreamConsumer& Consumer(StreamGroup& group, std::string_view name, int64_t now_ms,
                           bool* created = nullptr);
  // Deletes the consumer and its pending entries; the number of those, nullopt when absent.
  std::optional<size_t> DeleteConsumer(StreamGroup& group, std::string_view name);

  // Delivers `id` to `consumer` at `now_ms`: a new pending entry (count 1), or one that
  // another consumer held moves to this one with its count reset to 1 (Redis's
  // streamReplyWithRange for a group).
  StreamPending& Deliver(StreamGroup& group, StreamId id, std::string_view consumer,
                         int64_t now_ms);
  // Gives the pending entry `id` to `consumer` (XCLAIM): its owner changes, time and count
  // as given. Creates the entry when absent (a FORCE claim).
  StreamPending& Assign(StreamGroup& group, StreamId id, std::string_view consumer,
                        int64_t delivery_time, uint64_t delivery_count);
  // Removes the pending entry `id` (XACK); false when it was not pending.
  bool Acknowledge(StreamGroup& group, StreamId id);

 private:
  GroupMap groups_;
  size_t bytes_ = 0;
};

}  // namespace ember::storage
