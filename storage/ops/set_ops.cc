#include "storage/ops/set_ops.h"

#include <cstdint>

#include "storage/ops/glob.h"
#include "storage/value/set_value.h"

namespace ember::storage {
namespace {

// The set at `key` for reading; nullopt when absent.
OpResult<std::optional<CollectionView<SetValue>>> FindSetForRead(Database& db, std::string_view key,
                                                                 int64_t now_ms) {
  OpResult<Entry*> found = db.FindOfType(key, ValueType::kSet, now_ms, LookupMode::kRead);
  if (found.status() == OpStatus::kKeyNotFound) {
    return std::optional<CollectionView<SetValue>>();
  }
  if (!found.ok()) return found.status();
  return std::optional<CollectionView<SetValue>>((*found)->value().Read<SetValue>());
}

}  // namespace

OpResult<int64_t> OpSAdd(Database& db, std::string_view key,
                         std::span<const std::string_view> members, int64_t now_ms) {
  OpResult<ValueMutation> mutation = db.FindOrCreate(key, ValueType::kSet, now_ms);
  if (!mutation.ok()) return mutation.status();
  auto& set = mutation->As<SetValue>();
  const EncodingLimits& limits = db.encoding_limits();
  int64_t added = 0;
  for (std::string_view member : members) {
    if (set.Add(member, limits)) ++added;
  }
  if (added == 0) mutation->MarkUnchanged();
  return added;
}

OpResult<int64_t> OpSRem(Database& db, std::string_view key,
                         std::span<const std::string_view> members, int64_t now_ms) {
  OpResult<Entry*> found = db.FindOfType(key, ValueType::kSet, now_ms);
  if (found.status() == OpStatus::kKeyNotFound) return int64_t{0};
  if (!found.ok()) return found.status();
  ValueMutation mutation = db.Mutate(*found);
  auto& set = mutation.As<SetValue>();
  int64_t removed = 0;
  for (std::string_view member : members) {
    if (set.Remove(member)) ++removed;
    if (set.Size() == 0) break;
  }
  if (removed == 0) mutation.MarkUnchanged();
  return removed;
}

OpResult<int64_t> OpSCard(Database& db, std::string_view key, int64_t now_ms) {
  auto set = FindSetForRead(db, key, now_ms);
  if (!set.ok()) return set.status();
  return set->has_value() ? static_cast<int64_t>((**set)->Size()) : int64_t{0};
}

OpResult<std::vector<bool>> OpSMIsMember(Database& db, std::string_view key,
                                         std::span<const std::string_view> members,
                                         int64_t now_ms) {
  auto set = FindSetForRead(db, key, now_ms);
  if (!set.ok()) return set.status();
  std::vector<bool> result;
  result.reserve(members.size());
  for (std::string_view member : members) {
    result.push_back(set->has_value() && (**set)->Contains(member));
  }
  return result;
}

OpResult<SMoveResult> OpSMove(Database& db, std::string_view source, std::string_view destination,
                              std::string_view member, int64_t now_ms,
                              const std::function<void()>& removed) {
  OpResult<Entry*> src = db.FindOfType(source, ValueType::kSet, now_ms);
  if (src.status() == OpStatus::kKeyNotFound) return SMoveResult{};
  OpResult<Entry*> dst = db.FindOfType(destination, ValueType::kSet, now_ms);
  if (!src.ok()) return src.status();
  if (!dst.ok() && dst.status() != OpStatus::kKeyNotFound) return dst.status();

  SMoveResult result;
  if (source == destination) {
    result.moved = (*src)->value().Read<SetValue>()->Contains(member);
    return result;
  }
  {
    ValueMutation mutation = db.Mutate(*src);
    if (!mutation.As<SetValue>().Remove(member)) {
      mutation.MarkUnchanged();
      return result;
    }
  }
  result.moved = true;
  result.changes = 1;
  if (removed) removed();
  // The source's mutation has ended (deleting it if emptied) before the destination is
  // looked up again: its entry may have been created or moved since.
  OpResult<ValueMutation> target = db.FindOrCreate(destination, ValueType::kSet, now_ms);
  if (!target.ok()) return target.status();
  if (target->As<SetValue>().Add(member, db.encoding_limits())) {
    ++result.changes;
  } else {
    target->MarkUnchanged();
  }
  return result;
}

OpResult<SetScanPage> OpSScan(Database& db, std::string_view key, uint64_t cursor,
                              std::optional<std::string_view> pattern, int64_t count,
                              int64_t now_ms) {
  auto found = FindSetForRead(db, key, now_ms);
  if (!found.ok()) return found.status();
  SetScanPage page;
  if (!found->has_value()) return page;
  const SetValue& set = ***found;
  auto collect = [&page](std::string_view member) { page.members.emplace_back(member); };
  int64_t steps_left = count > INT64_MAX / 10 ? INT64_MAX : count * 10;
  do {
    cursor = set.Scan(cursor, collect);
  } while (cursor != 0 && steps_left-- > 0 && page.members.size() < static_cast<uint64_t>(count));
  page.cursor = cursor;
  if (pattern.has_value()) {
    std::erase_if(page.members,
                  [&pattern](const std::string& member) { return !GlobMatch(*pattern, member); });
  }
  return page;
}

}  // namespace ember::storage
