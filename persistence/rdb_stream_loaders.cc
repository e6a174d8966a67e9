// The RDB loader of streams (a row of rdb_value_loaders.cc): Redis's STREAM_LISTPACKS (15,
// Redis 5-6), STREAM_LISTPACKS_2 (19, Redis 7.0) and STREAM_LISTPACKS_3 (21, Redis 7.2: a
// consumer's active time as well, which is read and dropped). Each node's 16-byte key and listpack
// are adopted as they are after StreamValue::AdoptNode has checked the node's structure,
// order and counts; then the length, last ID and (type 19) first ID, max deleted ID and
// entries added; then the consumer groups with their pending entries and consumers.
#include <fmt/format.h>

#include <map>
#include <memory>
#include <utility>

#include "persistence/rdb_blob_readers.h"
#include "persistence/rdb_collection_loaders.h"
#include "persistence/rdb_format.h"
#include "storage/value/stream_value.h"

namespace ember::persistence {
namespace {

using storage::StreamId;
using storage::StreamValue;

Status ReadStreamId(RdbInput& input, StreamId* id) {
  Status s = input.ReadLength(&id->ms);
  if (s.ok()) s = input.ReadLength(&id->seq);
  return s;
}

Status ReadRawId(RdbInput& input, StreamId* id) {
  std::string raw;
  Status s = input.ReadExact(16, &raw);
  if (s.ok()) *id = storage::DecodeStreamIdKey(raw.data());
  return s;
}

Status ReadMilliseconds(RdbInput& input, int64_t* ms) {
  uint64_t bits = 0;
  Status s = input.ReadLittleEndian(8, &bits);
  *ms = static_cast<int64_t>(bits);
  return s;
}

// The consumer groups (see SaveStreamGroups): each group's PEL is read first with no owner,
// then each consumer claims its IDs in it; an ID no consumer claims, or one claimed twice
// or missing from the group's PEL, makes the value corrupt (as Redis's deep check).
Status LoadGroups(RdbInput& input, int version, StreamValue* stream) {
  const bool v2 = version >= 2;
  uint64_t group_count = 0;
  Status s = input.ReadLength(&group_count);
  for (uint64_t g = 0; s.ok() && g < group_count; ++g) {
    const uint64_t group_at = input.offset();
    std::string name;
    StreamId last_id;
    s = input.ReadString(&name);
    if (s.ok()) s = ReadStreamId(input, &last_id);
    uint64_t entries_read = 0;
    if (s.ok() && v2) s = input.ReadLength(&entries_read);
    if (!s.ok()) return s;
    const int64_t read =
        v2 ? static_cast<int64_t>(entries_read) : stream->EstimateEntriesRead(last_id);
    s = stream->EditGroups([&](storage::StreamGroups& groups) -> Status {
      storage::StreamGroup* group = groups.Create(name, last_id, read);
      if (group == nullptr) return Status::Error("duplicated consumer group name", group_at);
      // The group's PEL, owners still unknown: id -> (delivery time, delivery count).
      std::map<StreamId, std::pair<int64_t, uint64_t>> unowned;
      uint64_t pel_size = 0;
      Status r = input.ReadLength(&pel_size);
      for (uint64_t i = 0; r.ok() && i < pel_size; ++i) {
        const uint64_t entry_at = input.offset();
        StreamId id;
        int64_t delivery_time = 0;
        uint64_t delivery_count = 0;
        r = ReadRawId(input, &id);
        if (r.ok()) r = ReadMilliseconds(input, &delivery_time);
        if (r.ok()) r = input.ReadLength(&delivery_count);
        if (!r.ok()) return r;
        if (!unowned.try_emplace(id, delivery_time, delivery_count).second) {
          return Status::Error("duplicated global PEL entry in a consumer group", entry_at);
        }
      }
      uint64_t consumer_count = 0;
      if (r.ok()) r = input.ReadLength(&consumer_count);
      for (uint64_t c = 0; r.ok() && c < consumer_count; ++c) {
        const uint64_t consumer_at = input.offset();
        std::string consumer_name;
        int64_t seen_time = 0;
        r = input.ReadString(&consumer_name);
        if (r.ok()) r = ReadMilliseconds(input, &seen_time);
        // Redis 7.2's STREAM_LISTPACKS_3 adds the consumer's active time, which Redis 7.0
        // (and so Ember) does not keep.
        int64_t active_time = 0;
        if (r.ok() && version >= 3) r = ReadMilliseconds(input, &active_time);
        if (!r.ok()) return r;
        bool created = false;
        groups.Consumer(*group, consumer_name, seen_time, &created);
        if (!created) return Status::Error("duplicated stream consumer name", consumer_at);
        uint64_t owned = 0;
        r = input.ReadLength(&owned);
        for (uint64_t i = 0; r.ok() && i < owned; ++i) {
          const uint64_t id_at = input.offset();
          StreamId id;
          r = ReadRawId(input, &id);
          if (!r.ok()) return r;
          auto entry = unowned.find(id);
          if (entry == unowned.end()) {
            return Status::Error("consumer PEL entry not in the group's PEL, or owned twice",
                                 id_at);
          }
          groups.Assign(*group, id, consumer_name, entry->second.first, entry->second.second);
          unowned.erase(entry);
        }
        group->consumers.find(consumer_name)->second.seen_time = seen_time;
      }
      if (!r.ok()) return r;
      if (!unowned.empty()) {
        return Status::Error("a consumer group's PEL entry has no consumer", group_at);
      }
      return Status::Ok();
    });
  }
  return s;
}

Status LoadStream(RdbInput& input, int version, storage::Value* out) {
  const bool v2 = version >= 2;
  auto stream = std::make_unique<StreamValue>();
  uint64_t nodes = 0;
  Status s = input.ReadLength(&nodes);
  if (!s.ok()) return s;
  for (uint64_t i = 0; i < nodes; ++i) {
    const uint64_t key_at = input.offset();
    std::string key;
    s = input.ReadString(&key);
    if (!s.ok()) return s;
    if (key.size() != 16) {
      return Status::Error("stream node key entry is not the size of a stream ID", key_at);
    }
    const uint64_t node_at = input.offset();
    storage::Listpack node;
    s = ReadListpackBlob(input, "stream", &node);
    if (!s.ok()) return s;
    std::string error;
    if (!stream->AdoptNode(storage::DecodeStreamIdKey(key.data()), std::move(node), &error)) {
      return Status::Error("invalid stream node: " + error, node_at);
    }
  }
  const uint64_t meta_at = input.offset();
  uint64_t length = 0;
  StreamId last_id;
  StreamId first_id;
  StreamId max_deleted_id;
  uint64_t entries_added = 0;
  s = input.ReadLength(&length);
  if (s.ok()) s = ReadStreamId(input, &last_id);
  if (s.ok() && v2) s = ReadStreamId(input, &first_id);
  if (s.ok() && v2) s = ReadStreamId(input, &max_deleted_id);
  if (s.ok() && v2) s = input.ReadLength(&entries_added);
  if (!s.ok()) return s;
  if (!v2) {
    // Redis 5 and 6 kept neither: Redis 7.0 starts them from what the nodes hold.
    entries_added = length;
    first_id = stream->FirstLiveId().value_or(StreamId{});
  }
  if (!stream->FinishLoad(length, last_id, first_id, max_deleted_id, entries_added)) {
    return Status::Error("stream length or last ID inconsistent with its entries", meta_at);
  }
  s = LoadGroups(input, version, stream.get());
  if (!s.ok()) return s;
  *out = storage::Value::Box(std::move(stream));
  return Status::Ok();
}

}  // namespace

Status LoadStreamListpacks(RdbInput& input, const RdbLoadContext& /*context*/,
                           storage::Value* out) {
  return LoadStream(input, 1, out);
}

Status LoadStreamListpacks2(RdbInput& input, const RdbLoadContext& /*context*/,
                            storage::Value* out) {
  return LoadStream(input, 2, out);
}

Status LoadStreamListpacks3(RdbInput& input, const RdbLoadContext& /*context*/,
                            storage::Value* out) {
  return LoadStream(input, 3, out);
}

}  // namespace ember::persistence
