#include "storage/ops/list_ops.h"

#include <algorithm>

#include "storage/value/number_format.h"

namespace ember::storage {
namespace {

// The list at `key` for reading; nullptr when absent. Lists are always boxed, so the
// pointer stays valid after the view that gave it.
OpResult<const ListValue*> FindListForRead(Database& db, std::string_view key, int64_t now_ms) {
  OpResult<Entry*> found = db.FindOfType(key, ValueType::kList, now_ms, LookupMode::kRead);
  if (found.status() == OpStatus::kKeyNotFound) return static_cast<const ListValue*>(nullptr);
  if (!found.ok()) return found.status();
  return &*(*found)->value().Read<ListValue>();
}

std::string Text(const ListValue::Element& element) {
  NumberBuffer scratch;
  return std::string(element.View(scratch));
}

}  // namespace

OpResult<int64_t> OpPush(Database& db, std::string_view key, ListValue::End end,
                         std::span<const std::string_view> values, bool only_if_exists,
                         int64_t now_ms) {
  if (only_if_exists) {
    OpResult<Entry*> found = db.FindOfType(key, ValueType::kList, now_ms);
    if (found.status() == OpStatus::kKeyNotFound) return int64_t{0};
    if (!found.ok()) return found.status();
    ValueMutation mutation = db.Mutate(*found);
    auto& list = mutation.As<ListValue>();
    const int fill = db.encoding_limits().list_max_listpack_size;
    for (std::string_view value : values) list.Push(end, value, fill);
    return static_cast<int64_t>(list.Size());
  }
  OpResult<ValueMutation> mutation = db.FindOrCreate(key, ValueType::kList, now_ms);
  if (!mutation.ok()) return mutation.status();
  auto& list = mutation->As<ListValue>();
  const int fill = db.encoding_limits().list_max_listpack_size;
  for (std::string_view value : values) list.Push(end, value, fill);
  return static_cast<int64_t>(list.Size());
}

OpResult<std::vector<std::string>> OpPop(Database& db, std::string_view key, ListValue::End end,
                                         uint64_t count, int64_t now_ms) {
  OpResult<Entry*> found = db.FindOfType(key, ValueType::kList, now_ms);
  if (!found.ok()) return found.status();
  ValueMutation mutation = db.Mutate(*found);
  auto& list = mutation.As<ListValue>();
  std::vector<std::string> popped;
  const uint64_t n = std::min<uint64_t>(count, list.Size());
  popped.reserve(n);
  for (uint64_t i = 0; i < n; ++i) popped.push_back(list.Pop(end));
  if (n == 0) mutation.MarkUnchanged();
  return popped;
}

OpResult<int64_t> OpLLen(Database& db, std::string_view key, int64_t now_ms) {
  auto list = FindListForRead(db, key, now_ms);
  if (!list.ok()) return list.status();
  return *list != nullptr ? static_cast<int64_t>((*list)->Size()) : int64_t{0};
}

OpResult<std::string> OpLIndex(Database& db, std::string_view key, int64_t index, int64_t now_ms) {
  auto list = FindListForRead(db, key, now_ms);
  if (!list.ok()) return list.status();
  if (*list == nullptr) return OpStatus::kKeyNotFound;
  const auto size = static_cast<int64_t>((*list)->Size());
  if (index < 0) index += size;
  if (index < 0 || index >= size) return OpStatus::kKeyNotFound;
  return Text((*list)->Get(static_cast<size_t>(index)));
}

OpResult<std::vector<std::string>> OpLRange(Database& db, std::string_view key, int64_t start,
                                            int64_t stop, int64_t now_ms) {
  auto list = FindListForRead(db, key, now_ms);
  if (!list.ok()) return list.status();
  std::vector<std::string> out;
  if (*list == nullptr) return out;
  const ListValue& values = **list;
  const auto size = static_cast<int64_t>(values.Size());
  if (start < 0) start = std::max<int64_t>(start + size, 0);
  if (stop < 0) stop += size;
  if (stop >= size) stop = size - 1;
  if (start > stop || start >= size) return out;
  const auto count = static_cast<size_t>(stop - start + 1);
  out.reserve(count);
  values.Visit(static_cast<size_t>(start), count, false, [&out](const ListValue::Element& e) {
    out.push_back(Text(e));
    return true;
  });
  return out;
}

}  // namespace ember::storage
