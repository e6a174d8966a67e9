#include "storage/ops/zset_ops.h"

#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "storage/ops/glob.h"

namespace ember::storage {
namespace {

OpResult<ValueMutation> MutateExisting(Database& db, std::string_view key, int64_t now_ms) {
  OpResult<Entry*> found = db.FindOfType(key, ValueType::kZSet, now_ms);
  if (!found.ok()) return found.status();
  return db.Mutate(*found);
}

// The ascending ranks a spec selects before LIMIT and order are applied.
ZRankRange Select(const SortedSetValue& set, const ZRangeSpec& spec) {
  const auto size = static_cast<int64_t>(set.Size());
  switch (spec.by) {
    case ZRangeSpec::By::kRank: {
      int64_t start = spec.start;
      int64_t stop = spec.stop;
      if (start < 0) start = std::max<int64_t>(start + size, 0);
      if (stop < 0) stop += size;
      if (stop >= size) stop = size - 1;
      if (start > stop || start >= size) return {0, 0};
      if (spec.reverse) {  // ranks counted from the top
        const int64_t first = size - 1 - stop;
        return {static_cast<size_t>(first), static_cast<size_t>(size - start)};
      }
      return {static_cast<size_t>(start), static_cast<size_t>(stop + 1)};
    }
    case ZRangeSpec::By::kScore:
      return set.ScoreRange(spec.score_min, spec.score_max);
    case ZRangeSpec::By::kLex:
      return set.LexRange(spec.lex_min, spec.lex_max);
  }
  return {0, 0};
}

// Applies LIMIT offset count to a selection visited in the spec's order: the ascending
// ranks [first, end) that remain, as the visit would meet them.
ZRankRange Limit(ZRankRange range, const ZRangeSpec& spec) {
  if (spec.by == ZRangeSpec::By::kRank || (spec.offset == 0 && spec.count < 0)) return range;
  const size_t total = range.count();
  if (spec.offset < 0 || static_cast<uint64_t>(spec.offset) >= total) return {0, 0};
  const size_t skip = static_cast<size_t>(spec.offset);
  size_t take = total - skip;
  if (spec.count >= 0) take = std::min<size_t>(take, static_cast<size_t>(spec.count));
  if (spec.reverse) return {range.end - skip - take, range.end - skip};
  return {range.first + skip, range.first + skip + take};
}

}  // namespace

OpResult<CollectionView<SortedSetValue>> OpZSetForRead(Database& db, std::string_view key,
                                                       int64_t now_ms) {
  OpResult<Entry*> found = db.FindOfType(key, ValueType::kZSet, now_ms, LookupMode::kRead);
  if (found.status() == OpStatus::kKeyNotFound) return CollectionView<SortedSetValue>();
  if (!found.ok()) return found.status();
  return (*found)->value().Read<SortedSetValue>();
}

OpResult<ZAddOutcome> OpZAdd(Database& db, std::string_view key,
                             std::span<const std::pair<double, std::string_view>> pairs,
                             const ZAddOptions& options, int64_t now_ms) {
  ZAddOutcome outcome;
  OpResult<ValueMutation> mutation =
      options.xx ? MutateExisting(db, key, now_ms) : db.FindOrCreate(key, ValueType::kZSet, now_ms);
  if (options.xx && mutation.status() == OpStatus::kKeyNotFound) return outcome;
  if (!mutation.ok()) return mutation.status();
  auto& set = mutation->As<SortedSetValue>();
  const EncodingLimits& limits = db.encoding_limits();
  for (const auto& [given, member] : pairs) {
    double score = given;
    const std::optional<double> current = set.Score(member);
    if (current) {
      if (options.nx) continue;
      if (options.incr) {
        score += *current;
        if (std::isnan(score)) {
          mutation->MarkUnchanged();  // INCR takes one pair: nothing changed before it
          return OpStatus::kNanOrInfinity;
        }
      }
      if ((options.gt && score <= *current) || (options.lt && score >= *current)) continue;
      if (options.incr) outcome.incremented = score;
      if (score != *current) {
        set.Add(member, score, limits);
        ++outcome.updated;
      }
      continue;
    }
    if (options.xx) continue;
    set.Add(member, score, limits);
    ++outcome.added;
    if (options.incr) outcome.incremented = score;
  }
  if (outcome.added == 0 && outcome.updated == 0) mutation->MarkUnchanged();
  return outcome;
}

OpResult<int64_t> OpZRem(Database& db, std::string_view key,
                         std::span<const std::string_view> members, int64_t now_ms) {
  OpResult<ValueMutation> mutation = MutateExisting(db, key, now_ms);
  if (mutation.status() == OpStatus::kKeyNotFound) return int64_t{0};
  if (!mutation.ok()) return mutation.status();
  auto& set = mutation->As<SortedSetValue>();
  int64_t removed = 0;
  for (std::string_view member : members) {
    if (set.Erase(member)) ++removed;
    if (set.Size() == 0) break;
  }
  if (removed == 0) mutation->MarkUnchanged();
  return removed;
}

OpResult<int64_t> OpZCard(Database& db, std::string_view key, int64_t now_ms) {
  auto set = OpZSetForRead(db, key, now_ms);
  if (!set.ok()) return set.status();
  return *set ? static_cast<int64_t>((*set)->Size()) : int64_t{0};
}

OpResult<std::vector<std::optional<double>>> OpZScores(Database& db, std::string_view key,
                                                       std::span<const std::string_view> members,
                                                       int64_t now_ms) {
  auto set = OpZSetForRead(db, key, now_ms);
  if (!set.ok()) return set.status();
  std::vector<std::optional<double>> scores;
  scores.reserve(members.size());
  for (std::string_view member : members) {
    scores.push_back(*set ? (*set)->Score(member) : std::nullopt);
  }
  return scores;
}

OpResult<int64_t> OpZRank(Database& db, std::string_view key, std::string_view member, bool reverse,
                          int64_t now_ms) {
  auto set = OpZSetForRead(db, key, now_ms);
  if (!set.ok()) return set.status();
  if (!*set) return OpStatus::kKeyNotFound;
  const std::optional<size_t> rank = (*set)->Rank(member);
  if (!rank) return OpStatus::kKeyNotFound;
  const size_t from_top = (*set)->Size() - 1 - *rank;
  return static_cast<int64_t>(reverse ? from_top : *rank);
}

OpResult<std::vector<ScoredMember>> OpZRange(Database& db, std::string_view key,
                                             const ZRangeSpec& spec, int64_t now_ms) {
  auto set = OpZSetForRead(db, key, now_ms);
  if (!set.ok()) return set.status();
  std::vector<ScoredMember> out;
  if (!*set) return out;
  const ZRankRange range = Limit(Select(**set, spec), spec);
  if (range.count() == 0) return out;
  out.reserve(range.count());
  (*set)->Visit(range.first, range.end - 1, spec.reverse ? ZOrder::kDescending : ZOrder::kAscending,
                [&out](std::string_view member, double score) {
                  out.emplace_back(std::string(member), score);
                  return true;
                });
  return out;
}

OpResult<int64_t> OpZCount(Database& db, std::string_view key, const ZRangeSpec& spec,
                           int64_t now_ms) {
  auto set = OpZSetForRead(db, key, now_ms);
  if (!set.ok()) return set.status();
  if (!*set) return int64_t{0};
  return static_cast<int64_t>(Select(**set, spec).count());
}

OpResult<int64_t> OpZRemRange(Database& db, std::string_view key, const ZRangeSpec& spec,
                              int64_t now_ms) {
  OpResult<ValueMutation> mutation = MutateExisting(db, key, now_ms);
  if (mutation.status() == OpStatus::kKeyNotFound) return int64_t{0};
  if (!mutation.ok()) return mutation.status();
  auto& set = mutation->As<SortedSetValue>();
  const ZRankRange range = Select(set, spec);
  if (range.count() == 0) {
    mutation->MarkUnchanged();
    return int64_t{0};
  }
  return static_cast<int64_t>(set.EraseRankRange(range.first, range.end - 1));
}

ZStoreOutcome OpZStore(Database& db, std::string_view destination,
                       std::span<const ScoredMember> entries, int64_t now_ms) {
  ZStoreOutcome outcome;
  outcome.replaced = db.Find(destination, now_ms, LookupMode::kWrite) != nullptr;
  if (outcome.replaced) db.Delete(destination);
  if (entries.empty()) return outcome;
  OpResult<ValueMutation> mutation = db.AddEmpty(destination, ValueType::kZSet);
  auto& set = mutation->As<SortedSetValue>();
  for (const auto& [member, score] : entries) set.Add(member, score, db.encoding_limits());
  outcome.stored = static_cast<int64_t>(entries.size());
  return outcome;
}

OpResult<std::vector<ScoredMember>> OpZPop(Database& db, std::string_view key, bool max,
                                           uint64_t count, int64_t now_ms) {
  OpResult<ValueMutation> mutation = MutateExisting(db, key, now_ms);
  if (!mutation.ok()) return mutation.status();
  auto& set = mutation->As<SortedSetValue>();
  std::vector<ScoredMember> popped;
  const size_t n = static_cast<size_t>(std::min<uint64_t>(count, set.Size()));
  popped.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    NumberBuffer scratch;
    const size_t rank = max ? set.Size() - 1 : 0;
    const ZSetEntry entry = set.AtRank(rank, scratch);
    popped.emplace_back(std::string(entry.member), entry.score);
    set.EraseRankRange(rank, rank);
  }
  if (n == 0) mutation->MarkUnchanged();
  return popped;
}

OpResult<std::vector<ScoredMember>> OpZRandMember(Database& db, std::string_view key, int64_t count,
                                                  std::mt19937_64& rng, int64_t now_ms) {
  auto found = OpZSetForRead(db, key, now_ms);
  if (!found.ok()) return found.status();
  if (!*found) return OpStatus::kKeyNotFound;
  const SortedSetValue& set = **found;
  const size_t size = set.Size();
  // Picks by rank; a packed set is read once (each rank there is a walk).
  std::vector<ScoredMember> packed;
  if (set.packed()) {
    set.Visit(0, size - 1, ZOrder::kAscending, [&packed](std::string_view member, double score) {
      packed.emplace_back(std::string(member), score);
      return true;
    });
  }
  const auto entry = [&](size_t rank) -> ScoredMember {
    if (set.packed()) return packed[rank];
    NumberBuffer scratch;
    const ZSetEntry e = set.AtRank(rank, scratch);
    return {std::string(e.member), e.score};
  };
  const auto pick = [&rng, size] {
    return std::uniform_int_distribution<size_t>(0, size - 1)(rng);
  };
  std::vector<ScoredMember> out;
  if (count < 0) {
    out.reserve(static_cast<size_t>(-count));
    for (int64_t i = 0; i < -count; ++i) out.push_back(entry(pick()));
    return out;
  }
  const auto wanted = static_cast<size_t>(count);
  if (wanted >= size) {
    out.reserve(size);
    for (size_t rank = 0; rank < size; ++rank) out.push_back(entry(rank));
    return out;
  }
  out.reserve(wanted);
  // Redis's ZRANDMEMBER_SUB_STRATEGY_MUL: shuffle when the set is not much larger than the
  // count, otherwise pick and reject repeats, which are then rare.
  if (size <= wanted * 3) {
    std::vector<size_t> ranks(size);
    for (size_t i = 0; i < size; ++i) ranks[i] = i;
    for (size_t i = 0; i < wanted; ++i) {
      std::swap(ranks[i], ranks[i + std::uniform_int_distribution<size_t>(0, size - 1 - i)(rng)]);
      out.push_back(entry(ranks[i]));
    }
    return out;
  }
  std::unordered_set<size_t> taken;
  while (out.size() < wanted) {
    const size_t rank = pick();
    if (taken.insert(rank).second) out.push_back(entry(rank));
  }
  return out;
}

OpResult<ZScanPage> OpZScan(Database& db, std::string_view key, uint64_t cursor,
                            std::optional<std::string_view> pattern, int64_t count,
                            int64_t now_ms) {
  auto found = OpZSetForRead(db, key, now_ms);
  if (!found.ok()) return found.status();
  ZScanPage page;
  if (!*found) return page;
  auto collect = [&page](std::string_view member, std::string_view score) {
    page.entries.emplace_back(member, score);
  };
  int64_t steps_left = count > INT64_MAX / 10 ? INT64_MAX : count * 10;
  do {
    cursor = (*found)->Scan(cursor, collect);
  } while (cursor != 0 && steps_left-- > 0 && page.entries.size() < static_cast<uint64_t>(count));
  page.cursor = cursor;
  if (pattern.has_value()) {
    std::erase_if(page.entries,
                  [&pattern](const auto& entry) { return !GlobMatch(*pattern, entry.first); });
  }
  return page;
}

}  // namespace ember::storage
