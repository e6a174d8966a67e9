#include "storage/ops/list_ops.h"

#include <algorithm>
#include <cstdint>
#include <optional>

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

// A mutation of the existing list at `key` (kKeyNotFound when absent).
OpResult<ValueMutation> MutateList(Database& db, std::string_view key, int64_t now_ms) {
  OpResult<Entry*> found = db.FindOfType(key, ValueType::kList, now_ms);
  if (!found.ok()) return found.status();
  return db.Mutate(*found);
}

// The position `index` names (negative: from the end), nullopt outside the list.
std::optional<size_t> Position(int64_t index, size_t size) {
  const auto n = static_cast<int64_t>(size);
  if (index < 0) index += n;
  if (index < 0 || index >= n) return std::nullopt;
  return static_cast<size_t>(index);
}

// Elements [first, first + count) that LRANGE's `start` and `stop` select, clamped to the
// list as Redis clamps them; count 0 when the range is empty.
struct Range {
  size_t first = 0;
  size_t count = 0;
};
Range ClampRange(int64_t start, int64_t stop, size_t size) {
  const auto n = static_cast<int64_t>(size);
  if (start < 0) start = std::max<int64_t>(start + n, 0);
  if (stop < 0) stop += n;
  if (stop >= n) stop = n - 1;
  if (start > stop || start >= n) return {};
  return {static_cast<size_t>(start), static_cast<size_t>(stop - start + 1)};
}

}  // namespace

OpResult<int64_t> OpPush(Database& db, std::string_view key, ListValue::End end,
                         std::span<const std::string_view> values, bool only_if_exists,
                         int64_t now_ms) {
  OpResult<ValueMutation> mutation =
      only_if_exists ? MutateList(db, key, now_ms) : db.FindOrCreate(key, ValueType::kList, now_ms);
  if (only_if_exists && mutation.status() == OpStatus::kKeyNotFound) return int64_t{0};
  if (!mutation.ok()) return mutation.status();
  auto& list = mutation->As<ListValue>();
  if (list.Size() == 0) list.set_compress_depth(db.encoding_limits().list_compress_depth);
  const int fill = db.encoding_limits().list_max_listpack_size;
  for (std::string_view value : values) list.Push(end, value, fill);
  return static_cast<int64_t>(list.Size());
}

OpResult<std::vector<std::string>> OpPop(Database& db, std::string_view key, ListValue::End end,
                                         uint64_t count, int64_t now_ms) {
  OpResult<ValueMutation> mutation = MutateList(db, key, now_ms);
  if (!mutation.ok()) return mutation.status();
  auto& list = mutation->As<ListValue>();
  std::vector<std::string> popped;
  const uint64_t n = std::min<uint64_t>(count, list.Size());
  popped.reserve(n);
  for (uint64_t i = 0; i < n; ++i) popped.push_back(list.Pop(end));
  if (n == 0) mutation->MarkUnchanged();
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
  const std::optional<size_t> at = Position(index, (*list)->Size());
  if (!at) return OpStatus::kKeyNotFound;
  return Text((*list)->Get(*at));
}

OpResult<std::vector<std::string>> OpLRange(Database& db, std::string_view key, int64_t start,
                                            int64_t stop, int64_t now_ms) {
  auto list = FindListForRead(db, key, now_ms);
  if (!list.ok()) return list.status();
  std::vector<std::string> out;
  if (*list == nullptr) return out;
  const Range range = ClampRange(start, stop, (*list)->Size());
  out.reserve(range.count);
  (*list)->Visit(range.first, range.count, false, [&out](const ListValue::Element& e) {
    out.push_back(Text(e));
    return true;
  });
  return out;
}

OpResult<bool> OpLSet(Database& db, std::string_view key, int64_t index, std::string_view value,
                      int64_t now_ms) {
  OpResult<ValueMutation> mutation = MutateList(db, key, now_ms);
  if (!mutation.ok()) return mutation.status();
  auto& list = mutation->As<ListValue>();
  const std::optional<size_t> at = Position(index, list.Size());
  if (!at) {
    mutation->MarkUnchanged();
    return OpStatus::kOutOfRange;
  }
  list.Set(*at, value);
  return true;
}

OpResult<int64_t> OpLInsert(Database& db, std::string_view key, bool after, std::string_view pivot,
                            std::string_view value, int64_t now_ms) {
  OpResult<ValueMutation> mutation = MutateList(db, key, now_ms);
  if (mutation.status() == OpStatus::kKeyNotFound) return int64_t{0};
  if (!mutation.ok()) return mutation.status();
  auto& list = mutation->As<ListValue>();
  size_t index = 0;
  bool found = false;
  list.Visit(0, list.Size(), false, [&](const ListValue::Element& element) {
    found = element.Equals(pivot);
    if (!found) ++index;
    return !found;
  });
  if (!found) {
    mutation->MarkUnchanged();
    return int64_t{-1};
  }
  list.Insert(after ? index + 1 : index, value, db.encoding_limits().list_max_listpack_size);
  return static_cast<int64_t>(list.Size());
}

OpResult<int64_t> OpLTrim(Database& db, std::string_view key, int64_t start, int64_t stop,
                          int64_t now_ms) {
  OpResult<ValueMutation> mutation = MutateList(db, key, now_ms);
  if (mutation.status() == OpStatus::kKeyNotFound) return int64_t{0};
  if (!mutation.ok()) return mutation.status();
  auto& list = mutation->As<ListValue>();
  // Everything outside the range goes; an empty range empties the list.
  const size_t size = list.Size();
  const Range keep = ClampRange(start, stop, size);
  list.Erase(keep.first + keep.count, size);
  list.Erase(0, keep.count == 0 ? size : keep.first);
  return static_cast<int64_t>(size - keep.count);
}

OpResult<int64_t> OpLRem(Database& db, std::string_view key, int64_t count, std::string_view value,
                         int64_t now_ms) {
  OpResult<ValueMutation> mutation = MutateList(db, key, now_ms);
  if (mutation.status() == OpStatus::kKeyNotFound) return int64_t{0};
  if (!mutation.ok()) return mutation.status();
  auto& list = mutation->As<ListValue>();
  const bool from_back = count < 0;
  const uint64_t limit =
      count == 0 ? UINT64_MAX
                 : (from_back ? 0 - static_cast<uint64_t>(count) : static_cast<uint64_t>(count));
  // Matching positions first (a walk), then the removals from the far end, so each
  // removal leaves the positions still to remove unchanged.
  std::vector<size_t> matches;
  const size_t size = list.Size();
  size_t position = from_back ? size - 1 : 0;
  list.Visit(position, size, from_back, [&](const ListValue::Element& element) {
    if (element.Equals(value)) matches.push_back(position);
    position = from_back ? position - 1 : position + 1;
    return matches.size() < limit;
  });
  if (!from_back) std::reverse(matches.begin(), matches.end());
  for (size_t at : matches) list.Erase(at, 1);
  if (matches.empty()) mutation->MarkUnchanged();
  return static_cast<int64_t>(matches.size());
}

OpResult<std::vector<int64_t>> OpLPos(Database& db, std::string_view key, std::string_view element,
                                      const LPosOptions& options, int64_t now_ms) {
  auto found = FindListForRead(db, key, now_ms);
  if (!found.ok()) return found.status();
  std::vector<int64_t> positions;
  if (*found == nullptr) return positions;
  const ListValue& list = **found;
  const bool from_back = options.rank < 0;
  const uint64_t rank =
      from_back ? 0 - static_cast<uint64_t>(options.rank) : static_cast<uint64_t>(options.rank);
  const size_t size = list.Size();
  const size_t scanned =
      options.maxlen > 0 ? std::min<size_t>(size, static_cast<size_t>(options.maxlen)) : size;
  const size_t wanted = options.count < 0 ? 1 : static_cast<size_t>(options.count);
  uint64_t matches = 0;
  size_t step = 0;
  list.Visit(from_back ? size - 1 : 0, scanned, from_back, [&](const ListValue::Element& e) {
    if (e.Equals(element) && ++matches >= rank) {
      positions.push_back(static_cast<int64_t>(from_back ? size - 1 - step : step));
      if (wanted != 0 && positions.size() >= wanted) return false;
    }
    ++step;
    return true;
  });
  return positions;
}

OpResult<std::optional<MultiPopResult>> OpLMPop(Database& db,
                                                std::span<const std::string_view> keys,
                                                ListValue::End end, uint64_t count,
                                                int64_t now_ms) {
  for (std::string_view key : keys) {
    OpResult<std::vector<std::string>> popped = OpPop(db, key, end, count, now_ms);
    if (popped.status() == OpStatus::kKeyNotFound) continue;
    if (!popped.ok()) return popped.status();
    return std::optional<MultiPopResult>(MultiPopResult{std::string(key), std::move(*popped)});
  }
  return std::optional<MultiPopResult>();
}

OpResult<std::string> OpLMove(Database& db, std::string_view source, std::string_view destination,
                              ListValue::End from, ListValue::End to, int64_t now_ms) {
  OpResult<Entry*> src = db.FindOfType(source, ValueType::kList, now_ms);
  if (!src.ok()) return src.status();
  const int fill = db.encoding_limits().list_max_listpack_size;
  if (source == destination) {
    ValueMutation mutation = db.Mutate(*src);
    auto& list = mutation.As<ListValue>();
    std::string element = list.Pop(from);
    list.Push(to, element, fill);
    return element;
  }
  OpResult<Entry*> dst = db.FindOfType(destination, ValueType::kList, now_ms);
  if (!dst.ok() && dst.status() != OpStatus::kKeyNotFound) return dst.status();
  std::string element;
  {
    ValueMutation mutation = db.Mutate(*src);
    element = mutation.As<ListValue>().Pop(from);
  }
  OpResult<ValueMutation> target = db.FindOrCreate(destination, ValueType::kList, now_ms);
  if (!target.ok()) return target.status();
  auto& list = target->As<ListValue>();
  if (list.Size() == 0) list.set_compress_depth(db.encoding_limits().list_compress_depth);
  list.Push(to, element, fill);
  return element;
}

}  // namespace ember::storage
