#include "storage/ops/stream_claim_ops.h"

#include "storage/ops/stream_lookup.h"

namespace ember::storage {
namespace {

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

// The frame both claims share: the stream and the group looked up (no_group when either is
// missing), claim(stream, groups, group) run under the group accounting, the group's
// position recorded for propagation, and the key left unmodified when nothing changed.
template <typename Claim>
OpStatus ClaimInGroup(Database& db, std::string_view key, std::string_view group_name,
                      int64_t now_ms, ClaimOutcome* outcome, Claim&& claim) {
  OpResult<Entry*> found = db.FindOfType(key, ValueType::kStream, now_ms);
  if (found.status() == OpStatus::kKeyNotFound) {
    outcome->no_group = true;
    return OpStatus::kOk;
  }
  if (!found.ok()) return found.status();
  ValueMutation mutation = db.Mutate(*found);
  auto& stream = mutation.As<StreamValue>();
  stream.EditGroups([&](StreamGroups& groups) {
    StreamGroup* group = groups.Find(group_name);
    if (group == nullptr) {
      outcome->no_group = true;
      return;
    }
    claim(stream, groups, *group);
    outcome->group_last_id = group->last_id;
    outcome->group_entries_read = group->entries_read;
  });
  if (outcome->changes == 0) mutation.MarkUnchanged();
  return OpStatus::kOk;
}

}  // namespace

OpResult<ClaimOutcome> OpXClaim(Database& db, std::string_view key, const XClaimRequest& request,
                                int64_t now_ms) {
  ClaimOutcome outcome;
  const OpStatus status = ClaimInGroup(
      db, key, request.group, now_ms, &outcome,
      [&](StreamValue& stream, StreamGroups& groups, StreamGroup& group) {
        bool propagate_last_id = false;
        if (request.last_id > group.last_id) {
          group.last_id = request.last_id;
          propagate_last_id = true;
        }
        int64_t delivery_time = request.delivery_time;
        if (delivery_time < 0 || delivery_time > now_ms) delivery_time = now_ms;
        bool consumer_ready = false;
        for (StreamId id : request.ids) {
          auto pending = group.pending.find(id);
          std::optional<StreamEntry> entry = CopyEntry(stream, id);
          if (!entry) {
            if (pending != group.pending.end()) {
              DropDeleted(groups, group, id, &outcome);
              propagate_last_id = false;
            }
            continue;
          }
          const bool created_by_force = pending == group.pending.end();
          if (created_by_force && !request.force) continue;
          if (!created_by_force && request.min_idle_ms != 0 &&
              now_ms - pending->second.delivery_time < request.min_idle_ms) {
            continue;
          }
          if (!consumer_ready) {
            groups.Consumer(group, request.consumer, now_ms, &outcome.consumer_created).seen_time =
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
              groups.Assign(group, id, request.consumer, delivery_time, count);
          outcome.claimed.push_back(
              {id, request.justid ? std::vector<std::string>{} : std::move(entry->field_values),
               false});
          outcome.xclaims.push_back(Propagation(id, claimed));
          propagate_last_id = false;
          ++outcome.changes;
        }
        if (propagate_last_id) {
          outcome.propagate_setid = true;
          ++outcome.changes;
        }
      });
  if (status != OpStatus::kOk) return status;
  return outcome;
}

OpResult<AutoClaimOutcome> OpXAutoClaim(Database& db, std::string_view key,
                                        const XAutoClaimRequest& request, int64_t now_ms) {
  AutoClaimOutcome result;
  ClaimOutcome& outcome = result.claim;
  const OpStatus status = ClaimInGroup(
      db, key, request.group, now_ms, &outcome,
      [&](StreamValue& stream, StreamGroups& groups, StreamGroup& group) {
        int64_t count = request.count;
        int64_t attempts = count * 10;
        bool consumer_ready = false;
        auto it = group.pending.lower_bound(request.start);
        while (attempts-- > 0 && count > 0 && it != group.pending.end()) {
          const StreamId id = it->first;
          std::optional<StreamEntry> entry = CopyEntry(stream, id);
          if (!entry) {
            DropDeleted(groups, group, id, &outcome);
            result.deleted.push_back(id);
            --count;
            it = group.pending.lower_bound(id);
            continue;
          }
          if (request.min_idle_ms != 0 && now_ms - it->second.delivery_time < request.min_idle_ms) {
            ++it;
            continue;
          }
          if (!consumer_ready) {
            groups.Consumer(group, request.consumer, now_ms, &outcome.consumer_created).seen_time =
                now_ms;
            consumer_ready = true;
          }
          const uint64_t delivery_count = it->second.delivery_count + (request.justid ? 0 : 1);
          const StreamPending& claimed =
              groups.Assign(group, id, request.consumer, now_ms, delivery_count);
          outcome.claimed.push_back(
              {id, request.justid ? std::vector<std::string>{} : std::move(entry->field_values),
               false});
          outcome.xclaims.push_back(Propagation(id, claimed));
          ++outcome.changes;
          --count;
          it = group.pending.upper_bound(id);
        }
        result.next = it == group.pending.end() ? StreamId{} : it->first;
      });
  if (status != OpStatus::kOk) return status;
  return result;
}

}  // namespace ember::storage
