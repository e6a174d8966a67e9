// SRANDMEMBER and SPOP, with Redis 7.0's strategies (t_set.c), which decide the order and
// the resulting encoding that clients can observe:
//   - SRANDMEMBER with a count below the size either removes random members from a copy
//     (when the count is more than a third of the size) or draws until enough are distinct;
//   - SPOP with a count below the size either pops members one by one, or, when what
//     remains is small (remaining * 5 <= count), builds a new set from random members kept
//     and returns the rest; that new set starts over as an intset when its members allow.
#include <memory>
#include <unordered_set>

#include "storage/ops/set_ops.h"
#include "storage/value/set_value.h"

namespace ember::storage {
namespace {

constexpr uint64_t kSRandMemberSubStrategyMul = 3;
constexpr uint64_t kSPopMoveStrategyMul = 5;

OpResult<Entry*> FindSet(Database& db, std::string_view key, int64_t now_ms, LookupMode mode) {
  return db.FindOfType(key, ValueType::kSet, now_ms, mode);
}

std::vector<std::string> AllMembers(const SetValue& set) {
  std::vector<std::string> members;
  members.reserve(set.Size());
  set.ForEach([&members](std::string_view member) { members.emplace_back(member); });
  return members;
}

// `count` distinct members, 0 < count < size.
std::vector<std::string> DistinctRandomMembers(const SetValue& set, uint64_t count,
                                               std::mt19937_64& rng) {
  std::vector<std::string> result;
  if (count * kSRandMemberSubStrategyMul > set.Size()) {
    result = AllMembers(set);
    while (result.size() > count) {
      const size_t victim = rng() % result.size();
      std::swap(result[victim], result.back());
      result.pop_back();
    }
    return result;
  }
  std::unordered_set<std::string> chosen;
  NumberBuffer scratch;
  while (chosen.size() < count) chosen.emplace(set.Random(rng, scratch));
  result.assign(chosen.begin(), chosen.end());
  return result;
}

}  // namespace

OpResult<std::string> OpSRandMember(Database& db, std::string_view key, int64_t now_ms) {
  OpResult<Entry*> found = FindSet(db, key, now_ms, LookupMode::kRead);
  if (!found.ok()) return found.status();
  NumberBuffer scratch;
  return std::string((*found)->value().Read<SetValue>()->Random(db.rng(), scratch));
}

OpResult<std::vector<std::string>> OpSRandMemberCount(Database& db, std::string_view key,
                                                      int64_t count, int64_t now_ms) {
  OpResult<Entry*> found = FindSet(db, key, now_ms, LookupMode::kRead);
  if (found.status() == OpStatus::kKeyNotFound) return std::vector<std::string>{};
  if (!found.ok()) return found.status();
  const CollectionView<SetValue> view = (*found)->value().Read<SetValue>();
  const SetValue& set = *view;
  std::vector<std::string> result;
  if (count == 0) return result;
  const bool distinct = count > 0;
  const uint64_t wanted =
      distinct ? static_cast<uint64_t>(count) : static_cast<uint64_t>(-(count + 1)) + 1;
  if (!distinct || wanted == 1) {
    NumberBuffer scratch;
    result.reserve(wanted);
    for (uint64_t i = 0; i < wanted; ++i) result.emplace_back(set.Random(db.rng(), scratch));
    return result;
  }
  if (wanted >= set.Size()) return AllMembers(set);
  return DistinctRandomMembers(set, wanted, db.rng());
}

OpResult<std::string> OpSPop(Database& db, std::string_view key, int64_t now_ms) {
  OpResult<Entry*> found = FindSet(db, key, now_ms, LookupMode::kWrite);
  if (!found.ok()) return found.status();
  ValueMutation mutation = db.Mutate(*found);
  return mutation.As<SetValue>().PopRandom(db.rng());
}

OpResult<SPopResult> OpSPopCount(Database& db, std::string_view key, uint64_t count,
                                 int64_t now_ms) {
  OpResult<Entry*> found = FindSet(db, key, now_ms, LookupMode::kWrite);
  if (found.status() == OpStatus::kKeyNotFound) return SPopResult{};
  if (!found.ok()) return found.status();
  SPopResult result;
  if (count == 0) return result;
  const uint64_t size = (*found)->value().Read<SetValue>()->Size();
  if (count >= size) {
    // Redis replies with the union of the one set: the order of a set built afresh.
    SetValue copy;
    (*found)->value().Read<SetValue>()->ForEach(
        [&copy, &db](std::string_view member) { copy.Add(member, db.encoding_limits()); });
    result.members = AllMembers(copy);
    result.key_deleted = db.Delete(key);
    return result;
  }
  ValueMutation mutation = db.Mutate(*found);
  auto& set = mutation.As<SetValue>();
  const uint64_t remaining = size - count;
  if (remaining * kSPopMoveStrategyMul > count) {
    result.members.reserve(count);
    for (uint64_t i = 0; i < count; ++i) result.members.push_back(set.PopRandom(db.rng()));
    return result;
  }
  auto kept = std::make_unique<SetValue>();
  const EncodingLimits& limits = db.encoding_limits();
  for (uint64_t i = 0; i < remaining; ++i) kept->Add(set.PopRandom(db.rng()), limits);
  result.members = AllMembers(set);
  mutation.value() = Value::Box(std::move(kept));
  return result;
}

}  // namespace ember::storage
