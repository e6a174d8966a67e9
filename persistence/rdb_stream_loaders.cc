// The RDB loader of streams (a row of rdb_value_loaders.cc): Redis's STREAM_LISTPACKS (15,
// Redis 5-6) and STREAM_LISTPACKS_2 (19, Redis 7.0). Each node's 16-byte key and listpack
// are adopted as they are after StreamValue::AdoptNode has checked the node's structure,
// order and counts; then the length, last ID and (type 19) first ID, max deleted ID and
// entries added. Consumer groups are not held yet: a stream that has some is refused
// with an error saying so, rather than loaded without them.
#include <fmt/format.h>

#include <memory>

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

Status LoadStream(RdbInput& input, bool v2, storage::Value* out) {
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
  const uint64_t groups_at = input.offset();
  uint64_t groups = 0;
  s = input.ReadLength(&groups);
  if (!s.ok()) return s;
  if (groups > 0) {
    return Status::Error(
        fmt::format("stream with {} consumer group(s): Ember cannot hold consumer groups yet",
                    groups),
        groups_at);
  }
  *out = storage::Value::Box(std::move(stream));
  return Status::Ok();
}

}  // namespace

Status LoadStreamListpacks(RdbInput& input, const RdbLoadContext& /*context*/,
                           storage::Value* out) {
  return LoadStream(input, /*v2=*/false, out);
}

Status LoadStreamListpacks2(RdbInput& input, const RdbLoadContext& /*context*/,
                            storage::Value* out) {
  return LoadStream(input, /*v2=*/true, out);
}

}  // namespace ember::persistence
