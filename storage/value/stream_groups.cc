#include "storage/value/stream_groups.h"

#include "storage/value/chunk_bytes.h"

namespace ember::storage {
namespace {

// libstdc++'s red-black tree node header, before the value.
constexpr size_t kTreeNodeHeader = 32;

// A std::string's own heap block: none while it fits inline (15 bytes).
size_t StringHeap(const std::string& s) {
  return s.capacity() > 15 ? ChunkBytes(s.capacity() + 1) : 0;
}

size_t GroupNodeCost(const std::string& name) {
  return ChunkBytes(kTreeNodeHeader + sizeof(StreamGroups::GroupMap::value_type)) +
         StringHeap(name);
}

size_t ConsumerNodeCost(const std::string& name) {
  return ChunkBytes(kTreeNodeHeader + sizeof(std::pair<const std::string, StreamConsumer>)) +
         StringHeap(name);
}

size_t PendingNodeCost(const StreamPending& pending) {
  return ChunkBytes(kTreeNodeHeader + sizeof(std::pair<const StreamId, StreamPending>)) +
         StringHeap(pending.consumer);
}

constexpr size_t ConsumerPendingNodeCost() { return kTreeNodeHeader + sizeof(StreamId); }

}  // namespace

size_t StreamGroups::Recount() const {
  size_t total = 0;
  for (const auto& [name, group] : groups_) {
    total += GroupNodeCost(name);
    for (const auto& [id, pending] : group.pending) total += PendingNodeCost(pending);
    for (const auto& [consumer_name, consumer] : group.consumers) {
      total += ConsumerNodeCost(consumer_name);
      total += consumer.pending.size() * ChunkBytes(ConsumerPendingNodeCost());
    }
  }
  return total;
}

StreamGroup* StreamGroups::Find(std::string_view name) {
  auto found = groups_.find(name);
  return found == groups_.end() ? nullptr : &found->second;
}

const StreamGroup* StreamGroups::Find(std::string_view name) const {
  auto found = groups_.find(name);
  return found == groups_.end() ? nullptr : &found->second;
}

StreamGroup* StreamGroups::Create(std::string_view name, StreamId last_id, int64_t entries_read) {
  auto [it, inserted] = groups_.try_emplace(std::string(name));
  if (!inserted) return nullptr;
  it->second.last_id = last_id;
  it->second.entries_read = entries_read;
  bytes_ += GroupNodeCost(it->first);
  return &it->second;
}

bool StreamGroups::Destroy(std::string_view name) {
  auto found = groups_.find(name);
  if (found == groups_.end()) return false;
  const size_t before = Recount();
  groups_.erase(found);
  bytes_ -= before - Recount();
  return true;
}

StreamConsumer& StreamGroups::Consumer(StreamGroup& group, std::string_view name, int64_t now_ms,
                                       bool* created) {
  auto found = group.consumers.find(name);
  if (found != group.consumers.end()) {
    if (created != nullptr) *created = false;
    return found->second;
  }
  auto it = group.consumers.emplace(std::string(name), StreamConsumer{}).first;
  it->second.seen_time = now_ms;
  bytes_ += ConsumerNodeCost(it->first);
  if (created != nullptr) *created = true;
  return it->second;
}

std::optional<size_t> StreamGroups::DeleteConsumer(StreamGroup& group, std::string_view name) {
  auto found = group.consumers.find(name);
  if (found == group.consumers.end()) return std::nullopt;
  const size_t pending = found->second.pending.size();
  for (StreamId id : found->second.pending) {
    auto entry = group.pending.find(id);
    if (entry == group.pending.end()) continue;
    bytes_ -= PendingNodeCost(entry->second);
    group.pending.erase(entry);
  }
  bytes_ -= pending * ChunkBytes(ConsumerPendingNodeCost());
  bytes_ -= ConsumerNodeCost(found->first);
  group.consumers.erase(found);
  return pending;
}

StreamPending& StreamGroups::Deliver(StreamGroup& group, StreamId id, std::string_view consumer,
                                     int64_t now_ms) {
  return Assign(group, id, consumer, now_ms, 1);
}

StreamPending& StreamGroups::Assign(StreamGroup& group, StreamId id, std::string_view consumer,
                                    int64_t delivery_time, uint64_t delivery_count) {
  auto [it, inserted] = group.pending.try_emplace(id);
  StreamPending& pending = it->second;
  if (!inserted) {
    bytes_ -= PendingNodeCost(pending);
    auto owner = group.consumers.find(pending.consumer);
    if (owner != group.consumers.end() && owner->second.pending.erase(id) > 0) {
      bytes_ -= ChunkBytes(ConsumerPendingNodeCost());
    }
  }
  pending.consumer = std::string(consumer);  // exact capacity, as a copy would have
  pending.delivery_time = delivery_time;
  pending.delivery_count = delivery_count;
  bytes_ += PendingNodeCost(pending);
  StreamConsumer& target = Consumer(group, consumer, delivery_time);
  if (target.pending.insert(id).second) bytes_ += ChunkBytes(ConsumerPendingNodeCost());
  return pending;
}

bool StreamGroups::Acknowledge(StreamGroup& group, StreamId id) {
  auto found = group.pending.find(id);
  if (found == group.pending.end()) return false;
  auto owner = group.consumers.find(found->second.consumer);
  if (owner != group.consumers.end() && owner->second.pending.erase(id) > 0) {
    bytes_ -= ChunkBytes(ConsumerPendingNodeCost());
  }
  bytes_ -= PendingNodeCost(found->second);
  group.pending.erase(found);
  return true;
}

}  // namespace ember::storage
