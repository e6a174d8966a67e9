#include "persistence/rdb_value_savers.h"

#include <array>
#include <bit>

#include "persistence/rdb_format.h"
#include "storage/value/hash_value.h"
#include "storage/value/list_value.h"
#include "storage/value/set_value.h"
#include "storage/value/stream_value.h"
#include "storage/value/zset_value.h"

namespace ember::persistence {
namespace {

using storage::kNotSupportedYet;
using storage::ValueType;

uint8_t StringTypeByte(storage::ValueRef /*value*/) { return rdb::kTypeString; }

Status SaveString(RdbEncoder& out, storage::ValueRef value) {
  out.PutStringValue(value);
  return Status::Ok();
}

// Sets and hashes are saved as Redis 7.0's rdbSaveObject saves them: a compact encoding as
// its blob (the bytes are Redis's intset / listpack format), a table as a count followed by
// its elements in table order, each as rdbSaveRawString would write it.
uint8_t SetTypeByte(storage::ValueRef value) {
  return value.encoding() == storage::CollectionEncoding::kIntset ? rdb::kTypeSetIntset
                                                                  : rdb::kTypeSet;
}

Status SaveSet(RdbEncoder& out, storage::ValueRef value) {
  const storage::CollectionView<storage::SetValue> view = value.Read<storage::SetValue>();
  const storage::SetValue& set = *view;
  if (set.encoding() == storage::CollectionEncoding::kIntset) {
    out.PutBlob(set.intset().bytes());
    return Status::Ok();
  }
  out.PutLength(set.Size());
  set.ForEach([&out](std::string_view member) { out.PutString(member); });
  return Status::Ok();
}

// A list is saved as Redis 7.0 saves its quicklist: the node count, then per node its
// container (always "packed" here: Ember keeps no plain nodes) and its listpack.
uint8_t ListTypeByte(storage::ValueRef /*value*/) { return rdb::kTypeListQuicklist2; }

Status SaveList(RdbEncoder& out, storage::ValueRef value) {
  constexpr uint64_t kContainerPacked = 2;
  const storage::CollectionView<storage::ListValue> view = value.Read<storage::ListValue>();
  const storage::ListValue& list = *view;
  out.PutLength(list.node_count());
  for (size_t i = 0; i < list.node_count(); ++i) {
    out.PutLength(kContainerPacked);
    out.PutBlob(list.node(i).ToListpack().bytes());
  }
  return Status::Ok();
}

uint8_t HashTypeByte(storage::ValueRef value) {
  return value.encoding() == storage::CollectionEncoding::kListpack ? rdb::kTypeHashListpack
                                                                    : rdb::kTypeHash;
}

Status SaveHash(RdbEncoder& out, storage::ValueRef value) {
  const storage::CollectionView<storage::HashValue> view = value.Read<storage::HashValue>();
  const storage::HashValue& hash = *view;
  if (hash.encoding() == storage::CollectionEncoding::kListpack) {
    out.PutBlob(hash.ToListpack().bytes());
    return Status::Ok();
  }
  out.PutLength(hash.Size());
  hash.ForEach([&out](std::string_view field, std::string_view field_value) {
    out.PutString(field);
    out.PutString(field_value);
  });
  return Status::Ok();
}

// A sorted set is saved as Redis 7.0 saves it: the packed form as its listpack (type 17),
// the index form as ZSET_2 (type 5): the count, then from the highest rank to the lowest
// (so Redis's loader inserts each at the head of its skiplist) each member as a string and
// its score as an 8-byte little-endian IEEE 754 double.
uint8_t ZSetTypeByte(storage::ValueRef value) {
  return value.encoding() == storage::CollectionEncoding::kListpack ? rdb::kTypeZSetListpack
                                                                    : rdb::kTypeZSet2;
}

Status SaveZSet(RdbEncoder& out, storage::ValueRef value) {
  const storage::CollectionView<storage::SortedSetValue> view =
      value.Read<storage::SortedSetValue>();
  const storage::SortedSetValue& set = *view;
  if (const storage::PackedList* packed = set.packed_list()) {
    out.PutBlob(packed->ToListpack().bytes());
    return Status::Ok();
  }
  out.PutLength(set.Size());
  if (set.Size() == 0) return Status::Ok();
  set.Visit(0, set.Size() - 1, storage::ZOrder::kDescending,
            [&out](std::string_view member, double score) {
              out.PutString(member);
              const uint64_t bits = std::bit_cast<uint64_t>(score);
              for (int i = 0; i < 8; ++i) out.PutByte(static_cast<uint8_t>(bits >> (8 * i)));
              return true;
            });
  return Status::Ok();
}

// Redis's raw forms inside a stream's groups: an ID as its 16 big-endian bytes, a time as
// 8 little-endian bytes (rdbSaveMillisecondTime).
void PutRawId(RdbEncoder& out, storage::StreamId id) {
  char key[16];
  storage::EncodeStreamIdKey(id, key);
  for (char byte : key) out.PutByte(static_cast<uint8_t>(byte));
}

void PutMilliseconds(RdbEncoder& out, int64_t ms) {
  const auto bits = static_cast<uint64_t>(ms);
  for (int i = 0; i < 8; ++i) out.PutByte(static_cast<uint8_t>(bits >> (8 * i)));
}

// Per group (rdbSaveObject): name, last ID, entries read (-1 as its 64-bit pattern), the
// group's PEL with delivery time and count, then each consumer with its seen time and the
// IDs it owns (the loader resolves them in the group's PEL).
void SaveStreamGroups(RdbEncoder& out, const storage::StreamGroups& groups) {
  out.PutLength(groups.size());
  for (const auto& [name, group] : groups.groups()) {
    out.PutString(name);
    out.PutLength(group.last_id.ms);
    out.PutLength(group.last_id.seq);
    out.PutLength(static_cast<uint64_t>(group.entries_read));
    out.PutLength(group.pending.size());
    for (const auto& [id, pending] : group.pending) {
      PutRawId(out, id);
      PutMilliseconds(out, pending.delivery_time);
      out.PutLength(pending.delivery_count);
    }
    out.PutLength(group.consumers.size());
    for (const auto& [consumer_name, consumer] : group.consumers) {
      out.PutString(consumer_name);
      PutMilliseconds(out, consumer.seen_time);
      out.PutLength(consumer.pending.size());
      for (storage::StreamId id : consumer.pending) PutRawId(out, id);
    }
  }
}

// A stream is saved as Redis 7.0 saves it (STREAM_LISTPACKS_2): the node count, each node's
// 16-byte big-endian master ID and listpack as they are, the length, last ID, first ID,
// max deleted ID, entries added, and the consumer groups.
uint8_t StreamTypeByte(storage::ValueRef /*value*/) { return rdb::kTypeStreamListpacks2; }

Status SaveStream(RdbEncoder& out, storage::ValueRef value) {
  const storage::CollectionView<storage::StreamValue> view = value.Read<storage::StreamValue>();
  const storage::StreamValue& stream = *view;
  out.PutLength(stream.nodes().size());
  for (const auto& [master, node] : stream.nodes()) {
    char key[16];
    storage::EncodeStreamIdKey(master, key);
    out.PutString(std::string_view(key, sizeof(key)));
    out.PutBlob(node.bytes());
  }
  auto put_id = [&out](storage::StreamId id) {
    out.PutLength(id.ms);
    out.PutLength(id.seq);
  };
  out.PutLength(stream.Size());
  put_id(stream.last_id());
  put_id(stream.first_id());
  put_id(stream.max_deleted_id());
  out.PutLength(stream.entries_added());
  SaveStreamGroups(out, stream.groups());
  return Status::Ok();
}

constexpr auto kSavers = std::to_array<RdbValueSaver>({
    {ValueType::kString, StringTypeByte, SaveString},
    {ValueType::kList, ListTypeByte, SaveList},
    {ValueType::kSet, SetTypeByte, SaveSet},
    {ValueType::kZSet, ZSetTypeByte, SaveZSet},
    {ValueType::kHash, HashTypeByte, SaveHash},
    {ValueType::kStream, StreamTypeByte, SaveStream},
});

// What a type without a row gets (the concern test fails on a missing row first).
constexpr RdbValueSaver kMissingRow = {ValueType::kString, nullptr, nullptr};

}  // namespace

const RdbValueSaver& FindRdbValueSaver(storage::ValueType type) {
  const size_t index = storage::TypeIndex(type);
  if (index >= kSavers.size() || kSavers[index].type != type) return kMissingRow;
  return kSavers[index];
}

std::span<const RdbValueSaver> RdbValueSavers() { return kSavers; }

}  // namespace ember::persistence
