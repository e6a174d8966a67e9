// ZUNION, ZINTER, ZDIFF (and their STORE forms) and ZINTERCARD, as Redis 7.0's
// zunionInterDiffGenericCommand computes them: a plain set is an input whose every score is
// 1; union and intersection take the inputs from the smallest to the largest (a stable
// sort, as glibc's qsort is for so few), so floating-point sums add up in Redis's order; a
// weighted score that is NaN (0 * inf) counts as 0, and so does a sum of inf and -inf.
#include <algorithm>
#include <cmath>
#include <optional>
#include <unordered_map>

#include "storage/ops/zset_ops.h"
#include "storage/value/collection_view.h"
#include "storage/value/set_value.h"

namespace ember::storage {
namespace {

// One input key: a sorted set, a set, or nothing (a missing key reads as empty).
struct Input {
  CollectionView<SortedSetValue> zset;  // or the empty view
  std::optional<CollectionView<SetValue>> set;
  double weight = 1;

  size_t Size() const {
    if (zset) return zset->Size();
    return set.has_value() ? (*set)->Size() : 0;
  }
  // Calls fn(member, score) for every entry; a set's scores are 1.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    if (zset && zset->Size() > 0) {
      zset->Visit(0, zset->Size() - 1, ZOrder::kAscending, [&fn](std::string_view m, double s) {
        fn(m, s);
        return true;
      });
    } else if (set.has_value()) {
      (*set)->ForEach([&fn](std::string_view member) { fn(member, 1.0); });
    }
  }
  std::optional<double> Find(std::string_view member) const {
    if (zset) return zset->Score(member);
    if (set.has_value() && (*set)->Contains(member)) return 1.0;
    return std::nullopt;
  }
};

// Every key as an input; kWrongType when one holds neither a sorted set nor a set.
OpResult<std::vector<Input>> FindInputs(Database& db, std::span<const std::string_view> keys,
                                        int64_t now_ms) {
  std::vector<Input> inputs;
  inputs.reserve(keys.size());
  for (std::string_view key : keys) {
    Entry* entry = db.Find(key, now_ms, LookupMode::kRead);
    if (entry == nullptr) {
      inputs.emplace_back();
    } else if (entry->type() == ValueType::kZSet) {
      inputs.push_back(
          Input{.zset = entry->value().Read<SortedSetValue>(), .set = std::nullopt, .weight = 1});
    } else if (entry->type() == ValueType::kSet) {
      inputs.emplace_back().set.emplace(entry->value().Read<SetValue>());
    } else {
      return OpStatus::kWrongType;
    }
  }
  return inputs;
}

void Aggregate(double& target, double value, ZAggregate aggregate) {
  switch (aggregate) {
    case ZAggregate::kSum:
      target += value;
      if (std::isnan(target)) target = 0;  // inf + -inf
      return;
    case ZAggregate::kMin:
      target = value < target ? value : target;
      return;
    case ZAggregate::kMax:
      target = value > target ? value : target;
      return;
  }
}

double Weighted(double score, double weight) {
  const double weighted = score * weight;
  return std::isnan(weighted) ? 0 : weighted;
}

// The inputs' pointers from the smallest to the largest.
std::vector<const Input*> BySize(const std::vector<Input>& inputs) {
  std::vector<const Input*> sorted;
  sorted.reserve(inputs.size());
  for (const Input& input : inputs) sorted.push_back(&input);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const Input* a, const Input* b) { return a->Size() < b->Size(); });
  return sorted;
}

// Calls fn(member, aggregated score) for each member of every input, from the smallest
// input, until fn returns false.
template <typename Fn>
void ForEachCommon(const std::vector<Input>& inputs, ZAggregate aggregate, Fn&& fn) {
  const std::vector<const Input*> sorted = BySize(inputs);
  if (sorted[0]->Size() == 0) return;
  bool more = true;
  sorted[0]->ForEach([&](std::string_view member, double score) {
    if (!more) return;
    double total = Weighted(score, sorted[0]->weight);
    for (size_t j = 1; j < sorted.size(); ++j) {
      const std::optional<double> found = sorted[j]->Find(member);
      if (!found.has_value()) return;
      Aggregate(total, *found * sorted[j]->weight, aggregate);  // no NaN check: as Redis
    }
    more = fn(member, total);
  });
}

std::vector<ScoredMember> Union(const std::vector<Input>& inputs, ZAggregate aggregate) {
  std::unordered_map<std::string, double> totals;
  for (const Input* input : BySize(inputs)) {
    input->ForEach([&](std::string_view member, double score) {
      const double weighted = Weighted(score, input->weight);
      auto [it, inserted] = totals.try_emplace(std::string(member), weighted);
      if (!inserted) Aggregate(it->second, weighted, aggregate);
    });
  }
  std::vector<ScoredMember> result;
  result.reserve(totals.size());
  for (auto& [member, score] : totals) result.emplace_back(member, score);
  return result;
}

std::vector<ScoredMember> Difference(const std::vector<Input>& inputs) {
  std::vector<ScoredMember> result;
  inputs[0].ForEach([&](std::string_view member, double score) {
    for (size_t j = 1; j < inputs.size(); ++j) {
      if (inputs[j].Find(member).has_value()) return;
    }
    result.emplace_back(std::string(member), score);
  });
  return result;
}

}  // namespace

OpResult<std::vector<ScoredMember>> OpZCombine(Database& db, std::span<const std::string_view> keys,
                                               const ZCombineSpec& spec, int64_t now_ms) {
  OpResult<std::vector<Input>> inputs = FindInputs(db, keys, now_ms);
  if (!inputs.ok()) return inputs.status();
  if (inputs->empty()) return std::vector<ScoredMember>();
  for (size_t i = 0; i < spec.weights.size() && i < inputs->size(); ++i) {
    (*inputs)[i].weight = spec.weights[i];
  }
  std::vector<ScoredMember> result;
  switch (spec.op) {
    case ZSetAlgebra::kUnion:
      result = Union(*inputs, spec.aggregate);
      break;
    case ZSetAlgebra::kInter:
      ForEachCommon(*inputs, spec.aggregate, [&result](std::string_view member, double score) {
        result.emplace_back(std::string(member), score);
        return true;
      });
      break;
    case ZSetAlgebra::kDiff:
      result = Difference(*inputs);
      break;
  }
  // The order of the skiplist Redis builds: by score, then by the member's bytes.
  std::sort(result.begin(), result.end(), [](const ScoredMember& a, const ScoredMember& b) {
    if (a.second != b.second) return a.second < b.second;
    return a.first < b.first;
  });
  return result;
}

OpResult<int64_t> OpZInterCard(Database& db, std::span<const std::string_view> keys, uint64_t limit,
                               int64_t now_ms) {
  OpResult<std::vector<Input>> inputs = FindInputs(db, keys, now_ms);
  if (!inputs.ok()) return inputs.status();
  if (inputs->empty()) return int64_t{0};
  uint64_t count = 0;
  ForEachCommon(*inputs, ZAggregate::kSum, [&](std::string_view, double) {
    ++count;
    return limit == 0 || count < limit;
  });
  return static_cast<int64_t>(count);
}

OpStatus OpZCheckInputTypes(Database& db, std::span<const std::string_view> keys, int64_t now_ms) {
  return FindInputs(db, keys, now_ms).status();
}

}  // namespace ember::storage
