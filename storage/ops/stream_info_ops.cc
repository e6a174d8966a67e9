#include "storage/ops/stream_info_ops.h"

#include <algorithm>

#include "storage/ops/stream_lookup.h"

namespace ember::storage {
namespace {

// The stream at `key`; kKeyNotFound when absent.
OpResult<const StreamValue*> FindStream(Database& db, std::string_view key, int64_t now_ms) {
  OpResult<const StreamValue*> found = FindStreamForRead(db, key, now_ms);
  if (found.ok() && *found == nullptr) return OpStatus::kKeyNotFound;
  return found;
}

GroupInfo Describe(const StreamValue& stream, const std::string& name, const StreamGroup& group) {
  return {name,          group.consumers.size(), group.pending.size(),
          group.last_id, group.entries_read,     stream.GroupLag(group)};
}

}  // namespace

OpResult<std::vector<GroupInfo>> OpXInfoGroups(Database& db, std::string_view key, int64_t now_ms) {
  OpResult<const StreamValue*> stream = FindStream(db, key, now_ms);
  if (!stream.ok()) return stream.status();
  std::vector<GroupInfo> groups;
  for (const auto& [name, group] : (*stream)->groups().groups()) {
    groups.push_back(Describe(**stream, name, group));
  }
  return groups;
}

OpResult<std::optional<std::vector<ConsumerInfo>>> OpXInfoConsumers(Database& db,
                                                                    std::string_view key,
                                                                    std::string_view group,
                                                                    int64_t now_ms) {
  OpResult<const StreamValue*> stream = FindStream(db, key, now_ms);
  if (!stream.ok()) return stream.status();
  const StreamGroup* found = (*stream)->groups().Find(group);
  if (found == nullptr) return std::optional<std::vector<ConsumerInfo>>();
  std::vector<ConsumerInfo> consumers;
  for (const auto& [name, consumer] : found->consumers) {
    consumers.push_back(
        {name, consumer.pending.size(), std::max<int64_t>(now_ms - consumer.seen_time, 0)});
  }
  return std::optional(std::move(consumers));
}

OpResult<std::vector<FullGroupInfo>> OpXInfoFullGroups(Database& db, std::string_view key,
                                                       size_t count, int64_t now_ms) {
  OpResult<const StreamValue*> stream = FindStream(db, key, now_ms);
  if (!stream.ok()) return stream.status();
  std::vector<FullGroupInfo> groups;
  for (const auto& [name, group] : (*stream)->groups().groups()) {
    FullGroupInfo& info = groups.emplace_back();
    info.group = Describe(**stream, name, group);
    for (const auto& [id, pending] : group.pending) {
      if (count != 0 && info.pending.size() >= count) break;
      info.pending.push_back({id, pending.consumer, pending.delivery_time, pending.delivery_count});
    }
    for (const auto& [consumer_name, consumer] : group.consumers) {
      FullGroupInfo::Consumer& entry = info.consumers.emplace_back();
      entry.name = consumer_name;
      entry.seen_time = consumer.seen_time;
      entry.pel_count = consumer.pending.size();
      for (StreamId id : consumer.pending) {
        if (count != 0 && entry.pending.size() >= count) break;
        const StreamPending& pending = group.pending.find(id)->second;
        entry.pending.push_back({id, "", pending.delivery_time, pending.delivery_count});
      }
    }
  }
  return groups;
}

}  // namespace ember::storage
