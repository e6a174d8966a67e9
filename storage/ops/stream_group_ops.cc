#include "storage/ops/stream_group_ops.h"

#include <algorithm>

#include "storage/ops/stream_lookup.h"

namespace ember::storage {
namespace {

// The new entries for a group (">"): after its last delivered ID; each moves the group on
// (Redis's streamReplyWithRange with a group) and, unless `noack`, becomes pending.
void ReadNew(StreamValue& stream, StreamGroup& group, std::string_view consumer, size_t count,
             bool noack, int64_t now_ms, GroupReadResult* result) {
  StreamId start = group.last_id;
  if (!start.Increment()) return;
  for (StreamEntry& entry : CopyEntries(stream, start, StreamId::Max(), false, count)) {
    if (entry.id > group.last_id) {
      if (group.entries_read != kUnknownEntriesRead && !stream.HasTombstonesFrom(entry.id)) {
        ++group.entries_read;
      } else if (stream.entries_added() > 0) {
        group.entries_read = stream.EstimateEntriesRead(entry.id);
      }
      group.last_id = entry.id;
      result->last_id_moved = true;
    }
    if (!noack) {
      const StreamPending& pending = stream.EditGroups([&](StreamGroups& groups) -> StreamPending& {
        return groups.Deliver(group, entry.id, consumer, now_ms);
      });
      result->deliveries.push_back(
          {entry.id, pending.delivery_time, pending.delivery_count, group.last_id});
    }
    result->entries.push_back({entry.id, std::move(entry.field_values), false});
  }
}

// The consumer's own pending entries after `after` (Redis's
// streamReplyWithRangeFromConsumerPEL): each is delivered once more; one whose entry was
// deleted is reported as such and left as it is.
void ReadHistory(StreamValue& stream, StreamGroup& group, StreamConsumer& consumer, StreamId after,
                 size_t count, int64_t now_ms, GroupReadResult* result) {
  StreamId start = after;
  if (!start.Increment()) return;
  for (auto it = consumer.pending.lower_bound(start);
       it != consumer.pending.end() && (count == 0 || result->entries.size() < count); ++it) {
    std::optional<StreamEntry> found = CopyEntry(stream, *it);
    if (!found) {
      result->entries.push_back({*it, {}, true});
      continue;
    }
    StreamPending& pending = group.pending.find(*it)->second;
    pending.delivery_time = now_ms;
    ++pending.delivery_count;
    result->entries.push_back({*it, std::move(found->field_values), false});
  }
}

}  // namespace

OpResult<StreamGroupLookup> OpLookupStreamGroup(Database& db, std::string_view key,
                                                std::string_view group, int64_t now_ms) {
  OpResult<Entry*> found = db.FindOfType(key, ValueType::kStream, now_ms);
  StreamGroupLookup lookup;
  if (found.status() == OpStatus::kKeyNotFound) return lookup;
  if (!found.ok()) return found.status();
  const CollectionView<StreamValue> stream = (*found)->value().Read<StreamValue>();
  lookup.stream_exists = true;
  lookup.group_exists = stream->groups().Find(group) != nullptr;
  lookup.last_id = stream->last_id();
  return lookup;
}

OpResult<std::optional<StreamId>> OpGroupLastId(Database& db, std::string_view key,
                                                std::string_view group, int64_t now_ms) {
  OpResult<const StreamValue*> stream = FindStreamForRead(db, key, now_ms);
  if (!stream.ok()) return stream.status();
  if (*stream == nullptr) return std::optional<StreamId>();
  const StreamGroup* found = (*stream)->groups().Find(group);
  if (found == nullptr) return std::optional<StreamId>();
  return std::optional(found->last_id);
}

OpResult<bool> OpXGroupCreate(Database& db, std::string_view key, std::string_view group,
                              std::optional<StreamId> id, bool mkstream, int64_t entries_read,
                              int64_t now_ms) {
  OpResult<ValueMutation> mutation =
      mkstream ? db.FindOrCreate(key, ValueType::kStream, now_ms) : MutateStream(db, key, now_ms);
  if (!mutation.ok()) return mutation.status();
  auto& stream = mutation->As<StreamValue>();
  const StreamId last = id.value_or(stream.last_id());
  const bool created = stream.EditGroups(
      [&](StreamGroups& groups) { return groups.Create(group, last, entries_read) != nullptr; });
  if (!created && !mutation->created()) mutation->MarkUnchanged();
  return created;
}

OpResult<bool> OpXGroupSetId(Database& db, std::string_view key, std::string_view group,
                             std::optional<StreamId> id, int64_t entries_read, int64_t now_ms) {
  OpResult<ValueMutation> mutation = MutateStream(db, key, now_ms);
  if (!mutation.ok()) return mutation.status();
  auto& stream = mutation->As<StreamValue>();
  StreamGroup* target = stream.EditGroups([&](StreamGroups& groups) { return groups.Find(group); });
  if (target == nullptr) {
    mutation->MarkUnchanged();
    return false;
  }
  target->last_id = id.value_or(stream.last_id());
  target->entries_read = entries_read;
  return true;
}

OpResult<bool> OpXGroupDestroy(Database& db, std::string_view key, std::string_view group,
                               int64_t now_ms) {
  OpResult<ValueMutation> mutation = MutateStream(db, key, now_ms);
  if (!mutation.ok()) return mutation.status();
  const bool destroyed = mutation->As<StreamValue>().EditGroups(
      [&](StreamGroups& groups) { return groups.Destroy(group); });
  if (!destroyed) mutation->MarkUnchanged();
  return destroyed;
}

OpResult<bool> OpXGroupCreateConsumer(Database& db, std::string_view key, std::string_view group,
                                      std::string_view consumer, int64_t now_ms) {
  OpResult<ValueMutation> mutation = MutateStream(db, key, now_ms);
  if (!mutation.ok()) return mutation.status();
  bool created = false;
  mutation->As<StreamValue>().EditGroups([&](StreamGroups& groups) {
    StreamGroup* target = groups.Find(group);
    if (target != nullptr) groups.Consumer(*target, consumer, now_ms, &created);
  });
  if (!created) mutation->MarkUnchanged();
  return created;
}

OpResult<std::optional<size_t>> OpXGroupDelConsumer(Database& db, std::string_view key,
                                                    std::string_view group,
                                                    std::string_view consumer, int64_t now_ms) {
  OpResult<ValueMutation> mutation = MutateStream(db, key, now_ms);
  if (!mutation.ok()) return mutation.status();
  std::optional<size_t> pending;
  mutation->As<StreamValue>().EditGroups([&](StreamGroups& groups) {
    StreamGroup* target = groups.Find(group);
    if (target != nullptr) pending = groups.DeleteConsumer(*target, consumer);
  });
  if (!pending) mutation->MarkUnchanged();
  return pending;
}

OpResult<GroupReadResult> OpXReadGroup(Database& db, std::string_view key, std::string_view group,
                                       std::string_view consumer, std::optional<StreamId> after,
                                       size_t count, bool noack, int64_t now_ms) {
  OpResult<ValueMutation> mutation = MutateStream(db, key, now_ms);
  if (!mutation.ok()) return mutation.status();
  auto& stream = mutation->As<StreamValue>();
  GroupReadResult result;
  StreamGroup* target = stream.EditGroups([&](StreamGroups& groups) { return groups.Find(group); });
  if (target == nullptr) return OpStatus::kKeyNotFound;
  StreamConsumer& reader = stream.EditGroups([&](StreamGroups& groups) -> StreamConsumer& {
    return groups.Consumer(*target, consumer, now_ms, &result.consumer_created);
  });
  reader.seen_time = now_ms;
  if (after) {
    ReadHistory(stream, *target, reader, *after, count, now_ms, &result);
  } else {
    ReadNew(stream, *target, consumer, count, noack, now_ms, &result);
  }
  result.group_last_id = target->last_id;
  result.group_entries_read = target->entries_read;
  return result;
}

OpResult<std::vector<StreamEntry>> OpXReadAfter(Database& db, std::string_view key, StreamId after,
                                                size_t count, int64_t now_ms) {
  OpResult<const StreamValue*> stream = FindStreamForRead(db, key, now_ms);
  if (!stream.ok()) return stream.status();
  if (*stream == nullptr || !after.Increment()) return std::vector<StreamEntry>();
  return CopyEntries(**stream, after, StreamId::Max(), false, count);
}

OpResult<bool> OpStreamHasEntriesAfter(Database& db, std::string_view key, StreamId after,
                                       int64_t now_ms) {
  OpResult<const StreamValue*> stream = FindStreamForRead(db, key, now_ms);
  if (!stream.ok()) return stream.status();
  if (*stream == nullptr || (*stream)->Size() == 0) return false;
  return *(*stream)->LastLiveId() > after;
}

OpResult<int64_t> OpXAck(Database& db, std::string_view key, std::string_view group,
                         std::span<const StreamId> ids, int64_t now_ms) {
  OpResult<ValueMutation> mutation = MutateStream(db, key, now_ms);
  if (mutation.status() == OpStatus::kKeyNotFound) return int64_t{0};
  if (!mutation.ok()) return mutation.status();
  int64_t acknowledged = 0;
  mutation->As<StreamValue>().EditGroups([&](StreamGroups& groups) {
    StreamGroup* target = groups.Find(group);
    if (target == nullptr) return;
    for (StreamId id : ids) acknowledged += groups.Acknowledge(*target, id) ? 1 : 0;
  });
  if (acknowledged == 0) mutation->MarkUnchanged();
  return acknowledged;
}

OpResult<std::optional<PendingSummary>> OpXPendingSummary(Database& db, std::string_view key,
                                                          std::string_view group, int64_t now_ms) {
  OpResult<const StreamValue*> stream = FindStreamForRead(db, key, now_ms);
  if (!stream.ok()) return stream.status();
  if (*stream == nullptr) return OpStatus::kKeyNotFound;
  const StreamGroup* target = (*stream)->groups().Find(group);
  if (target == nullptr) return std::optional<PendingSummary>();
  PendingSummary summary;
  summary.count = target->pending.size();
  if (summary.count == 0) return std::optional(std::move(summary));
  summary.smallest = target->pending.begin()->first;
  summary.largest = target->pending.rbegin()->first;
  for (const auto& [name, consumer] : target->consumers) {
    if (!consumer.pending.empty()) summary.per_consumer.emplace_back(name, consumer.pending.size());
  }
  return std::optional(std::move(summary));
}

OpResult<std::optional<std::vector<PendingRow>>> OpXPendingRange(Database& db, std::string_view key,
                                                                 std::string_view group,
                                                                 const PendingQuery& query,
                                                                 int64_t now_ms) {
  OpResult<const StreamValue*> stream = FindStreamForRead(db, key, now_ms);
  if (!stream.ok()) return stream.status();
  if (*stream == nullptr) return OpStatus::kKeyNotFound;
  const StreamGroup* target = (*stream)->groups().Find(group);
  if (target == nullptr) return std::optional<std::vector<PendingRow>>();
  std::vector<PendingRow> rows;
  auto add = [&](StreamId id) {
    const StreamPending& pending = target->pending.find(id)->second;
    const int64_t idle = std::max<int64_t>(now_ms - pending.delivery_time, 0);
    if (query.min_idle_ms != 0 && idle < query.min_idle_ms) return;
    rows.push_back({id, pending.consumer, idle, pending.delivery_count});
  };
  if (query.consumer) {
    auto owner = target->consumers.find(*query.consumer);
    if (owner == target->consumers.end()) return std::optional(std::move(rows));
    for (auto it = owner->second.pending.lower_bound(query.start);
         it != owner->second.pending.end() && *it <= query.end && rows.size() < query.count; ++it) {
      add(*it);
    }
  } else {
    for (auto it = target->pending.lower_bound(query.start);
         it != target->pending.end() && it->first <= query.end && rows.size() < query.count; ++it) {
      add(it->first);
    }
  }
  return std::optional(std::move(rows));
}

}  // namespace ember::storage
