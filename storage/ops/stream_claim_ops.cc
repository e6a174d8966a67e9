#include "storage/ops/stream_claim_ops.h"

namespace ember::storage {
namespace {

// The entry `id`'s fields, nullopt when it is not (or no longer) in the stream.
std::optional<std::vector<std::string>> EntryFields(const StreamValue& stream, StreamId id) {
  std::optional<std::vector<std::string>> fields;
  stream.Range(id, id, false, 1, [&](const StreamValue::EntryView& view) {
    fields.emplace();
    for (const StreamValue::Field& field : view.fields) {
      fields->emplace_back(field.name);
      fields->emplace_back(field.value);
    }
    return false;
  });
  return fields;
}

ClaimPropagation Propagation(StreamId id, const StreamPending& pending) {
  return {id, pending.consumer, pending.delivery_time, pending.delivery_count};
}

// Drops the pending entry `id` whose data is gone, recording the XCLAIM that drops it on a
// replay (Redis propagates it with the entry's last owner and counts).
void DropDeleted(StreamGroups& groups, StreamGroup& group, StreamId id, ClaimOutcome* outcome) {
  outcome->xclaims.push_back(Propagation(id, group.pending.find(id)->second));
  groups.Acknowledge(group, id);
  ++outcome->changes;
}

}  // namespace

OpResult<ClaimOutcome> OpXClaim(Database& db, std::string_view key, const XClaimRequest& request,
                                int64_t now_ms) {
  OpResult<Entry*> found = db.FindOfType(key, ValueType::kStream, now_ms);
  ClaimOutcome outcome;
  if (found.status() == OpStatus::kKeyNotFound) {
    outcome.no_group = true;
    return outcome;
  }
  if (!found.ok()) return found.status();
  ValueMutation mutation = db.Mutate(*found);
  auto& stream = mutation.As<StreamValue>();
  stream.EditGroups([&](StreamGroups& groups) {
    StreamGroup* group = groups.Find(request.group);
    if (group == nullptr) {
      outcome.no_group = true;
      return;
    }
    bool propagate_last_id = false;
    if (request.last_id > group->last_id) {
      group->last_id = request.last_id;
      propagate_last_id = true;
    }
    int64_t delivery_time = request.delivery_time;
    if (delivery_time < 0 || delivery_time > now_ms) delivery_time = now_ms;
    bool consumer_ready = false;
    for (StreamId id : request.ids) {
      auto pending = group->pending.find(id);
      std::optional<std::vector<std::string>> fields = EntryFields(stream, id);
      if (!fields) {
        if (pending != group->pending.end()) {
          DropDeleted(groups, *group, id, &outcome);
          propagate_last_id = false;
        }
        continue;
      }
      const bool created_by_force = pending == group->pending.end();
      if (created_by_force && !request.force) continue;
      if (!created_by_force && request.min_idle_ms != 0 &&
          now_ms - pending->second.delivery_time < request.min_idle_ms) {
        continue;
      }
      if (!consumer_ready) {
        groups.Consumer(*group, request.consumer, now_ms, &outcome.consumer_created).seen_time =
            now_ms;
        consumer_ready = true;
      }
      // A FORCE-created entry starts at 1, as Redis's streamCreateNACK makes it.
      uint64_t count = created_by_force ? 1 : pending->second.delivery_count;
      if (request.retry_count >= 0) {
        count = static_cast<uint64_t>(request.retry_count);
      } else if (!request.justid) {
        ++count;
      }
      const StreamPending& claimed =
          groups.Assign(*group, id, request.consumer, delivery_time, count);
      outcome.claimed.push_back(
          {id, request.justid ? std::vector<std::string>{} : std::move(*fields), false});
      outcome.xclaims.push_back(Propagation(id, claimed));
      propagate_last_id = false;
      ++outcome.changes;
    }
    if (propagate_last_id) {
      outcome.propagate_setid = true;
      ++outcome.changes;
    }
    outcome.group_last_id = group->last_id;
    outcome.group_entries_read = group->entries_read;
  });
  if (outcome.changes == 0) mutation.MarkUnchanged();
  return outcome;
}

OpResult<AutoClaimOutcome> OpXAutoClaim(Database& db, std::string_view key,
                                        const XAutoClaimRequest& request, int64_t now_ms) {
  OpResult<Entry*> found = db.FindOfType(key, ValueType::kStream, now_ms);
  AutoClaimOutcome result;
  ClaimOutcome& outcome = result.claim;
  if (found.status() == OpStatus::kKeyNotFound) {
    outcome.no_group = true;
    return result;
  }
  if (!found.ok()) return found.status();
  ValueMutation mutation = db.Mutate(*found);
  auto& stream = mutation.As<StreamValue>();
  stream.EditGroups([&](StreamGroups& groups) {
    StreamGroup* group = groups.Find(request.group);
    if (group == nullptr) {
      outcome.no_group = true;
      return;
    }
    int64_t count = request.count;
    int64_t attempts = count * 10;
    bool consumer_ready = false;
    auto it = group->pending.lower_bound(request.start);
    while (attempts-- > 0 && count > 0 && it != group->pending.end()) {
      const StreamId id = it->first;
      std::optional<std::vector<std::string>> fields = EntryFields(stream, id);
      if (!fields) {
        DropDeleted(groups, *group, id, &outcome);
        result.deleted.push_back(id);
        --count;
        it = group->pending.lower_bound(id);
        continue;
      }
      if (request.min_idle_ms != 0 && now_ms - it->second.delivery_time < request.min_idle_ms) {
        ++it;
        continue;
      }
      if (!consumer_ready) {
        groups.Consumer(*group, request.consumer, now_ms, &outcome.consumer_created).seen_time =
            now_ms;
        consumer_ready = true;
      }
      const uint64_t delivery_count = it->second.delivery_count + (request.justid ? 0 : 1);
      const StreamPending& claimed =
          groups.Assign(*group, id, request.consumer, now_ms, delivery_count);
      outcome.claimed.push_back(
          {id, request.justid ? std::vector<std::string>{} : std::move(*fields), false});
      outcome.xclaims.push_back(Propagation(id, claimed));
      ++outcome.changes;
      --count;
      it = group->pending.upper_bound(id);
    }
    result.next = it == group->pending.end() ? StreamId{} : it->first;
    outcome.group_last_id = group->last_id;
    outcome.group_entries_read = group->entries_read;
  });
  if (outcome.changes == 0) mutation.MarkUnchanged();
  return result;
}

}  // namespace ember::storage
