#include "storage/ops/sort_ops.h"

#include <memory>
#include <utility>

#include "storage/ops/sort_math.h"
#include "storage/value/hash_value.h"
#include "storage/value/list_value.h"
#include "storage/value/set_value.h"
#include "storage/value/zset_value.h"

namespace ember::storage {
namespace {

using sort::Item;
using sort::Pattern;

// What `pattern` finds for `element`: the element itself, a string, a hash field, or
// nothing.
std::optional<std::string> LookupByPattern(Database& db, const Pattern& pattern,
                                           std::string_view element, int64_t now_ms) {
  if (pattern.kind() == Pattern::Kind::kElement) return std::string(element);
  if (pattern.kind() == Pattern::Kind::kNoKey) return std::nullopt;
  Entry* entry = db.FindForRead(pattern.KeyFor(element), now_ms);
  if (entry == nullptr) return std::nullopt;
  NumberBuffer scratch;
  if (pattern.kind() == Pattern::Kind::kHashField) {
    if (entry->type() != ValueType::kHash) return std::nullopt;
    CollectionView<HashValue> hash = entry->value().Read<HashValue>();
    std::optional<std::string_view> value = hash->Get(pattern.field(), scratch);
    if (!value.has_value()) return std::nullopt;
    return std::string(*value);
  }
  if (entry->type() != ValueType::kString) return std::nullopt;
  return std::string(entry->value().View(scratch));
}

void AppendItem(std::vector<Item>& items, std::string_view element) {
  items.push_back({std::string(element), 0, std::nullopt});
}

// Every element of the collection at `entry`: a list's in order, a set's in its own order,
// a sorted set's by rank.
std::vector<Item> LoadAll(const Entry& entry) {
  std::vector<Item> items;
  NumberBuffer scratch;
  switch (entry.type()) {
    case ValueType::kList: {
      CollectionView<ListValue> list = entry.value().Read<ListValue>();
      items.reserve(list->Size());
      list->Visit(0, list->Size(), false, [&](const ListValue::Element& element) {
        AppendItem(items, element.View(scratch));
        return true;
      });
      break;
    }
    case ValueType::kSet: {
      CollectionView<SetValue> set = entry.value().Read<SetValue>();
      items.reserve(set->Size());
      set->ForEach([&](std::string_view member) { AppendItem(items, member); });
      break;
    }
    default: {
      CollectionView<SortedSetValue> zset = entry.value().Read<SortedSetValue>();
      items.reserve(zset->Size());
      if (zset->Size() == 0) break;
      zset->Visit(0, zset->Size() - 1, ZOrder::kAscending, [&](std::string_view member, double) {
        AppendItem(items, member);
        return true;
      });
      break;
    }
  }
  return items;
}

// The `window` of a list or sorted set in its own order, or in reverse from the far end
// when `desc` (BY nosort). Requires: window.count > 0.
std::vector<Item> LoadWindow(const Entry& entry, sort::Window window, bool desc, size_t size) {
  std::vector<Item> items;
  items.reserve(static_cast<size_t>(window.count));
  const auto start = static_cast<size_t>(window.start);
  const auto count = static_cast<size_t>(window.count);
  if (entry.type() == ValueType::kList) {
    NumberBuffer scratch;
    entry.value().Read<ListValue>()->Visit(desc ? size - 1 - start : start, count, desc,
                                           [&](const ListValue::Element& element) {
                                             AppendItem(items, element.View(scratch));
                                             return true;
                                           });
    return items;
  }
  const size_t first = desc ? size - start - count : start;
  entry.value().Read<SortedSetValue>()->Visit(first, first + count - 1,
                                              desc ? ZOrder::kDescending : ZOrder::kAscending,
                                              [&](std::string_view member, double) {
                                                AppendItem(items, member);
                                                return true;
                                              });
  return items;
}

// Fills each item's weight; false when some numeric weight is not a number.
bool Weigh(Database& db, std::vector<Item>& items, const std::optional<Pattern>& by, bool alpha,
           int64_t now_ms) {
  bool all_numbers = true;
  for (Item& item : items) {
    std::optional<std::string> weight;
    if (by.has_value()) {
      weight = LookupByPattern(db, *by, item.element, now_ms);
      if (!weight.has_value()) continue;  // sorts as 0, or first alphabetically
    }
    if (alpha) {
      if (by.has_value()) item.by = std::move(weight);
      continue;
    }
    std::optional<double> score = sort::ParseScore(by.has_value() ? *weight : item.element);
    if (score.has_value()) {
      item.score = *score;
    } else {
      all_numbers = false;
    }
  }
  return all_numbers;
}

}  // namespace

OpResult<SortResult> OpSort(Database& db, std::string_view key, const SortRequest& request,
                            int64_t now_ms) {
  const Entry* entry = db.FindForRead(key, now_ms);
  ValueType type = ValueType::kList;  // a missing key sorts as an empty list
  size_t size = 0;
  if (entry != nullptr) {
    type = entry->type();
    if (type == ValueType::kList) {
      size = entry->value().Read<ListValue>()->Size();
    } else if (type == ValueType::kSet) {
      size = entry->value().Read<SetValue>()->Size();
    } else if (type == ValueType::kZSet) {
      size = entry->value().Read<SortedSetValue>()->Size();
    } else {
      return OpStatus::kWrongType;
    }
  }
  std::optional<Pattern> by;
  bool dont_sort = false;
  bool alpha = request.alpha;
  if (request.by.has_value()) {
    dont_sort = request.by->find('*') == std::string_view::npos;
    if (!dont_sort) by.emplace(*request.by);
  }
  if (dont_sort && type == ValueType::kSet && request.deterministic) {
    dont_sort = false;
    alpha = true;
  }
  sort::Window window =
      sort::ClampLimit(request.limit_offset, request.limit_count, static_cast<int64_t>(size));
  std::vector<Item> items;
  if (entry != nullptr && dont_sort && type != ValueType::kSet) {
    if (window.count > 0) items = LoadWindow(*entry, window, request.desc, size);
    window.start = 0;
  } else if (entry != nullptr) {
    items = LoadAll(*entry);
  }
  SortResult result;
  if (!dont_sort) {
    if (!Weigh(db, items, by, alpha, now_ms)) {
      result.score_error = true;
      return result;
    }
    sort::SortItems(items, {.alpha = alpha,
                            .by_pattern = by.has_value(),
                            .binary = request.store,
                            .desc = request.desc});
  }
  std::vector<Pattern> gets;
  gets.reserve(request.gets.size());
  for (std::string_view get : request.gets) gets.emplace_back(get);
  const auto first = static_cast<size_t>(window.start);
  const auto count = static_cast<size_t>(window.count);
  result.values.reserve(count * (gets.empty() ? 1 : gets.size()));
  for (size_t i = first; i < first + count; ++i) {
    if (gets.empty()) {
      result.values.emplace_back(std::move(items[i].element));
      continue;
    }
    for (const Pattern& get : gets) {
      result.values.push_back(LookupByPattern(db, get, items[i].element, now_ms));
    }
  }
  return result;
}

SortStoreEffect OpStoreSortResult(Database& db, std::string_view destination,
                                  std::span<const std::optional<std::string>> values,
                                  int64_t now_ms) {
  Entry* entry = db.Find(destination, now_ms);
  if (values.empty()) {
    return entry != nullptr && db.Delete(destination) ? SortStoreEffect::kDeleted
                                                      : SortStoreEffect::kNone;
  }
  auto list = std::make_unique<ListValue>();
  list->set_compress_depth(db.encoding_limits().list_compress_depth);
  const int fill = db.encoding_limits().list_max_listpack_size;
  for (const std::optional<std::string>& value : values) {
    list->Push(ListValue::End::kBack, value.has_value() ? std::string_view(*value) : "", fill);
  }
  Value stored = Value::Box(std::move(list));
  if (entry == nullptr) {
    db.Add(destination, std::move(stored));
  } else {
    db.RemoveExpire(entry);
    (void)db.Overwrite(entry, std::move(stored));
  }
  return SortStoreEffect::kStored;
}

}  // namespace ember::storage
