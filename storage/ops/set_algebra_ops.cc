// SINTER, SINTERCARD, SUNION, SDIFF and their STORE forms, as Redis 7.0's
// sinterGenericCommand and sunionDiffGenericCommand compute them. Results are built by adding
// members to a new set, which starts as an intset, so a result's encoding is the one Redis
// gives it (an all-integer result within set-max-intset-entries is an intset, listed in
// ascending order). SDIFF picks Redis's algorithm by the same estimate, because the two
// build the result differently: "add the first set, remove the others" passes through the
// whole first set and may leave a small result in the hashtable encoding.
#include <algorithm>
#include <memory>

#include "storage/ops/set_ops.h"
#include "storage/value/set_value.h"

namespace ember::storage {
namespace {

using SetList = std::vector<const SetValue*>;

// The sets of a command's keys: `list` has one pointer per key (nullptr for a missing key),
// into `views`, which must live as long. A key named twice gets the same pointer, so the
// algorithms can tell a set from itself.
struct FoundSets {
  std::vector<CollectionView<SetValue>> views;
  SetList list;
};

// Every key as a set for reading; kWrongType when any key holds another type.
OpResult<FoundSets> FindSets(Database& db, std::span<const std::string_view> keys, int64_t now_ms) {
  FoundSets sets;
  sets.views.reserve(keys.size());  // no reallocation: `list` points into the views
  sets.list.reserve(keys.size());
  std::vector<const Entry*> entries;
  entries.reserve(keys.size());
  for (std::string_view key : keys) {
    OpResult<Entry*> found = db.FindOfType(key, ValueType::kSet, now_ms, LookupMode::kRead);
    if (found.status() == OpStatus::kKeyNotFound) {
      sets.list.push_back(nullptr);
      continue;
    }
    if (!found.ok()) return found.status();
    const auto seen = std::find(entries.begin(), entries.end(), *found);
    if (seen != entries.end()) {
      sets.list.push_back(&*sets.views[static_cast<size_t>(seen - entries.begin())]);
      continue;
    }
    entries.push_back(*found);
    sets.views.push_back((*found)->value().Read<SetValue>());
    sets.list.push_back(&*sets.views.back());
  }
  return sets;
}

// Calls fn for each member of the intersection of `sets` (none missing), in the order of
// the smallest set, while fn returns true.
void ForEachCommon(SetList sets, const std::function<bool(std::string_view)>& fn) {
  std::sort(sets.begin(), sets.end(),
            [](const SetValue* a, const SetValue* b) { return a->Size() < b->Size(); });
  bool more = true;
  sets[0]->ForEach([&](std::string_view member) {
    if (!more) return;
    for (size_t j = 1; j < sets.size(); ++j) {
      if (sets[j] != sets[0] && !sets[j]->Contains(member)) return;
    }
    more = fn(member);
  });
}

bool AnyMissing(const SetList& sets) {
  return std::find(sets.begin(), sets.end(), nullptr) != sets.end();
}

std::unique_ptr<SetValue> Intersection(const SetList& sets, const EncodingLimits& limits) {
  auto result = std::make_unique<SetValue>();
  if (AnyMissing(sets)) return result;
  ForEachCommon(sets, [&](std::string_view member) {
    result->Add(member, limits);
    return true;
  });
  return result;
}

std::unique_ptr<SetValue> Union(const SetList& sets, const EncodingLimits& limits) {
  auto result = std::make_unique<SetValue>();
  for (const SetValue* set : sets) {
    if (set == nullptr) continue;
    set->ForEach([&](std::string_view member) { result->Add(member, limits); });
  }
  return result;
}

std::unique_ptr<SetValue> Difference(SetList sets, const EncodingLimits& limits) {
  auto result = std::make_unique<SetValue>();
  const SetValue* first = sets[0];
  if (first == nullptr) return result;
  for (size_t j = 1; j < sets.size(); ++j) {
    if (sets[j] == first) return result;  // a key subtracted from itself
  }
  uint64_t one_by_one = 0;  // test each member of the first set against the others
  uint64_t add_remove = 0;  // add the first set, remove the members of the others
  for (const SetValue* set : sets) {
    if (set == nullptr) continue;
    one_by_one += first->Size();
    add_remove += set->Size();
  }
  if (one_by_one / 2 <= add_remove) {
    first->ForEach([&](std::string_view member) {
      for (size_t j = 1; j < sets.size(); ++j) {
        if (sets[j] != nullptr && sets[j]->Contains(member)) return;
      }
      result->Add(member, limits);
    });
    return result;
  }
  for (const SetValue* set : sets) {
    if (set == nullptr) continue;
    if (set == first) {
      set->ForEach([&](std::string_view member) { result->Add(member, limits); });
    } else {
      set->ForEach([&](std::string_view member) { result->Remove(member); });
    }
    if (result->Size() == 0) break;
  }
  return result;
}

std::vector<std::string> MembersOf(const SetValue& set) {
  std::vector<std::string> members;
  members.reserve(set.Size());
  set.ForEach([&members](std::string_view member) { members.emplace_back(member); });
  return members;
}

// Replaces `destination` with `result` (dropping its TTL), or deletes it when the result is
// empty, as Redis's setKey / dbDelete do.
SetStoreResult Store(Database& db, std::string_view destination, std::unique_ptr<SetValue> result,
                     int64_t now_ms) {
  SetStoreResult outcome;
  outcome.size = static_cast<int64_t>(result->Size());
  Entry* entry = db.Find(destination, now_ms);
  if (outcome.size == 0) {
    outcome.changed = entry != nullptr && db.Delete(destination);
    return outcome;
  }
  Value value = Value::Box(std::move(result));
  if (entry == nullptr) {
    db.Add(destination, std::move(value));
  } else {
    db.RemoveExpire(entry);
    (void)db.Overwrite(entry, std::move(value));
  }
  outcome.changed = true;
  return outcome;
}

}  // namespace

OpResult<std::vector<std::string>> OpSInter(Database& db, std::span<const std::string_view> keys,
                                            int64_t now_ms) {
  OpResult<FoundSets> sets = FindSets(db, keys, now_ms);
  if (!sets.ok()) return sets.status();
  std::vector<std::string> members;
  if (AnyMissing(sets->list)) return members;
  ForEachCommon(sets->list, [&members](std::string_view member) {
    members.emplace_back(member);
    return true;
  });
  return members;
}

OpResult<int64_t> OpSInterCard(Database& db, std::span<const std::string_view> keys, uint64_t limit,
                               int64_t now_ms) {
  OpResult<FoundSets> sets = FindSets(db, keys, now_ms);
  if (!sets.ok()) return sets.status();
  uint64_t count = 0;
  if (AnyMissing(sets->list)) return int64_t{0};
  ForEachCommon(sets->list, [&count, limit](std::string_view) {
    ++count;
    return limit == 0 || count < limit;
  });
  return static_cast<int64_t>(count);
}

OpResult<std::vector<std::string>> OpSUnion(Database& db, std::span<const std::string_view> keys,
                                            int64_t now_ms) {
  OpResult<FoundSets> sets = FindSets(db, keys, now_ms);
  if (!sets.ok()) return sets.status();
  return MembersOf(*Union(sets->list, db.encoding_limits()));
}

OpResult<std::vector<std::string>> OpSDiff(Database& db, std::span<const std::string_view> keys,
                                           int64_t now_ms) {
  OpResult<FoundSets> sets = FindSets(db, keys, now_ms);
  if (!sets.ok()) return sets.status();
  return MembersOf(*Difference(sets->list, db.encoding_limits()));
}

OpResult<SetStoreResult> OpSInterStore(Database& db, std::string_view destination,
                                       std::span<const std::string_view> keys, int64_t now_ms) {
  OpResult<FoundSets> sets = FindSets(db, keys, now_ms);
  if (!sets.ok()) return sets.status();
  return Store(db, destination, Intersection(sets->list, db.encoding_limits()), now_ms);
}

OpResult<SetStoreResult> OpSUnionStore(Database& db, std::string_view destination,
                                       std::span<const std::string_view> keys, int64_t now_ms) {
  OpResult<FoundSets> sets = FindSets(db, keys, now_ms);
  if (!sets.ok()) return sets.status();
  return Store(db, destination, Union(sets->list, db.encoding_limits()), now_ms);
}

OpResult<SetStoreResult> OpSDiffStore(Database& db, std::string_view destination,
                                      std::span<const std::string_view> keys, int64_t now_ms) {
  OpResult<FoundSets> sets = FindSets(db, keys, now_ms);
  if (!sets.ok()) return sets.status();
  return Store(db, destination, Difference(sets->list, db.encoding_limits()), now_ms);
}

}  // namespace ember::storage
