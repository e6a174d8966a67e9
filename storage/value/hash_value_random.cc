// HashValue's random selections for HRANDFIELD (hash_value.h).
//
// Why these strategies (after Redis's hrandfieldWithCountCommand): a listpack is walked once
// to note where each field starts, so each pick is then O(1) instead of a walk. For distinct
// fields, a partial Fisher-Yates shuffle of the candidates gives `count` of them in random
// order when the hash is not much bigger than `count`; for a table much bigger than `count`,
// random picks with a set of those already taken stay cheap, since repeats are rare.
#include <cassert>
#include <random>
#include <unordered_set>
#include <utility>
#include <vector>

#include "storage/value/hash_field_table.h"
#include "storage/value/hash_value.h"

namespace ember::storage {
namespace {

// Above this ratio of size to count, a table is sampled by rejection rather than shuffled
// (Redis's HRANDFIELD_SUB_STRATEGY_MUL).
constexpr size_t kShuffleRatio = 3;

size_t PickIndex(std::mt19937_64& rng, size_t size) {
  return std::uniform_int_distribution<size_t>(0, size - 1)(rng);
}

// Moves `count` random elements of `items` to its front, in random order.
template <typename T>
void PartialShuffle(std::mt19937_64& rng, std::vector<T>& items, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    const size_t j = i + PickIndex(rng, items.size() - i);
    std::swap(items[i], items[j]);
  }
}

}  // namespace

void HashValue::RandomPairs(std::mt19937_64& rng, size_t count, const FieldFn& fn) const {
  assert(Size() > 0);
  if (encoding() != CollectionEncoding::kListpack) {
    for (size_t i = 0; i < count; ++i) {
      const HashFieldNode& node = table_->RandomNode(rng);
      fn(node.field(), node.value());
    }
    return;
  }
  std::vector<size_t> fields;
  fields.reserve(Size());
  for (size_t offset = pairs_.First(); offset != PackedList::kNoEntry;
       offset = pairs_.Next(pairs_.Next(offset))) {
    fields.push_back(offset);
  }
  for (size_t i = 0; i < count; ++i) {
    const size_t offset = fields[PickIndex(rng, fields.size())];
    NumberBuffer field_scratch;
    NumberBuffer value_scratch;
    fn(pairs_.Get(offset).View(field_scratch), pairs_.Get(pairs_.Next(offset)).View(value_scratch));
  }
}

void HashValue::DistinctRandomPairs(std::mt19937_64& rng, size_t count, const FieldFn& fn) const {
  assert(count <= Size());
  if (count == 0) return;
  if (encoding() == CollectionEncoding::kListpack) {
    std::vector<size_t> fields;
    fields.reserve(Size());
    for (size_t offset = pairs_.First(); offset != PackedList::kNoEntry;
         offset = pairs_.Next(pairs_.Next(offset))) {
      fields.push_back(offset);
    }
    PartialShuffle(rng, fields, count);
    for (size_t i = 0; i < count; ++i) {
      NumberBuffer field_scratch;
      NumberBuffer value_scratch;
      fn(pairs_.Get(fields[i]).View(field_scratch),
         pairs_.Get(pairs_.Next(fields[i])).View(value_scratch));
    }
    return;
  }
  if (count * kShuffleRatio > Size()) {
    std::vector<const HashFieldNode*> nodes;
    nodes.reserve(Size());
    table_->ForEach([&nodes](const HashFieldNode& node) { nodes.push_back(&node); });
    PartialShuffle(rng, nodes, count);
    for (size_t i = 0; i < count; ++i) fn(nodes[i]->field(), nodes[i]->value());
    return;
  }
  std::unordered_set<const HashFieldNode*> taken;
  taken.reserve(count);
  while (taken.size() < count) {
    const HashFieldNode& node = table_->RandomNode(rng);
    if (taken.insert(&node).second) fn(node.field(), node.value());
  }
}

}  // namespace ember::storage
