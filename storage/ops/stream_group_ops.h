// Consumer-group operations on streams: XGROUP's subcommands, reading for a group
// (XREADGROUP) and plain reading after an ID (XREAD), XACK and XPENDING, as Redis 7.0's
// t_stream.c does them. Each Op looks the key up at `now_ms` (lazy expiry) and reports the
// outcome; parsing, replies and propagation stay with the handlers
// (server/families/stream/). A key of another type fails with kWrongType.
// Threading: engine thread only.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storage/keyspace/database.h"
#include "storage/op_status.h"
#include "storage/ops/stream_ops.h"
#include "storage/value/stream_value.h"

namespace ember::storage {

// Whether `key` holds a stream and it has group `group` (XGROUP and XREADGROUP check both
// before parsing IDs, as Redis does). kWrongType for another type.
struct StreamGroupLookup {
  bool stream_exists = false;
  bool group_exists = false;
  StreamId last_id;  // the stream's, for "$"
};
OpResult<StreamGroupLookup> OpLookupStreamGroup(Database& db, std::string_view key,
                                                std::string_view group, int64_t now_ms);

// The group's last delivered ID; nullopt when the key or the group is missing.
OpResult<std::optional<StreamId>> OpGroupLastId(Database& db, std::string_view key,
                                                std::string_view group, int64_t now_ms);

// XGROUP CREATE: `id` nullopt means "$" (the stream's last ID). With `mkstream` a missing
// key becomes an empty stream. false when the group exists already (BUSYGROUP).
// Requires: the stream exists, or `mkstream`.
OpResult<bool> OpXGroupCreate(Database& db, std::string_view key, std::string_view group,
                              std::optional<StreamId> id, bool mkstream, int64_t entries_read,
                              int64_t now_ms);
// XGROUP SETID. Requires: the stream and group exist.
OpResult<bool> OpXGroupSetId(Database& db, std::string_view key, std::string_view group,
                             std::optional<StreamId> id, int64_t entries_read, int64_t now_ms);
// XGROUP DESTROY: whether a group was destroyed. Requires: the stream exists.
OpResult<bool> OpXGroupDestroy(Database& db, std::string_view key, std::string_view group,
                               int64_t now_ms);
// XGROUP CREATECONSUMER: whether it was created. Requires: the stream and group exist.
OpResult<bool> OpXGroupCreateConsumer(Database& db, std::string_view key, std::string_view group,
                                      std::string_view consumer, int64_t now_ms);
// XGROUP DELCONSUMER: the pending entries it had (nullopt: no such consumer). Requires: the
// stream and group exist.
OpResult<std::optional<size_t>> OpXGroupDelConsumer(Database& db, std::string_view key,
                                                    std::string_view group,
                                                    std::string_view consumer, int64_t now_ms);

// One entry read for a group: fields empty with `deleted` for a history entry whose data is
// gone (Redis replies [id, nil]).
struct StreamReadEntry {
  StreamId id;
  std::vector<std::string> field_values;
  bool deleted = false;
};

// What reading one stream for a group did, for the reply and for propagation: each newly
// delivered entry's pending state (as XCLAIM ... TIME RETRYCOUNT FORCE JUSTID LASTID
// replays it), whether the consumer was created, the group's position after the read.
struct GroupReadResult {
  std::vector<StreamReadEntry> entries;
  struct Delivery {
    StreamId id;
    int64_t delivery_time = 0;
    uint64_t delivery_count = 0;
    StreamId group_last_id;  // the group's position right after this entry (LASTID)
  };
  std::vector<Delivery> deliveries;  // not with NOACK
  bool consumer_created = false;
  bool last_id_moved = false;
  StreamId group_last_id;
  int64_t group_entries_read = kUnknownEntriesRead;
};

// XREADGROUP on one stream: with `after` nullopt (">"), the entries after the group's last
// delivered ID, which move it and join the consumer's PEL (unless `noack`); otherwise the
// consumer's own pending entries after `after` (its history), each delivered once more.
// At most `count` entries (0: all). Requires: the stream and group exist.
OpResult<GroupReadResult> OpXReadGroup(Database& db, std::string_view key, std::string_view group,
                                       std::string_view consumer, std::optional<StreamId> after,
                                       size_t count, bool noack, int64_t now_ms);

// XREAD on one stream: the entries after `after`, at most `count` (0: all); none for a
// missing key.
OpResult<std::vector<StreamEntry>> OpXReadAfter(Database& db, std::string_view key, StreamId after,
                                                size_t count, int64_t now_ms);
// Whether `key`'s stream has a live entry after `after` (XREAD serves it now rather than
// blocking). For a group read with ">", `after` is the group's last delivered ID.
OpResult<bool> OpStreamHasEntriesAfter(Database& db, std::string_view key, StreamId after,
                                       int64_t now_ms);

// XACK: how many of `ids` were pending in the group (0 for a missing key or group).
OpResult<int64_t> OpXAck(Database& db, std::string_view key, std::string_view group,
                         std::span<const StreamId> ids, int64_t now_ms);

// XPENDING's summary form.
struct PendingSummary {
  size_t count = 0;
  StreamId smallest;
  StreamId largest;
  std::vector<std::pair<std::string, size_t>> per_consumer;  // by consumer name
};
// XPENDING's extended form, one row per pending entry.
struct PendingRow {
  StreamId id;
  std::string consumer;
  int64_t idle_ms = 0;
  uint64_t delivery_count = 0;
};
struct PendingQuery {
  StreamId start;
  StreamId end;
  size_t count = 0;
  int64_t min_idle_ms = 0;
  std::optional<std::string> consumer;
};
// kKeyNotFound for a missing key; nullopt when the group is missing.
OpResult<std::optional<PendingSummary>> OpXPendingSummary(Database& db, std::string_view key,
                                                          std::string_view group, int64_t now_ms);
OpResult<std::optional<std::vector<PendingRow>>> OpXPendingRange(Database& db, std::string_view key,
                                                                 std::string_view group,
                                                                 const PendingQuery& query,
                                                                 int64_t now_ms);

}  // namespace ember::storage
