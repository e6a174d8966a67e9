#include "storage/value/value_concerns.h"

#include <array>
#include <memory>

#include "storage/value/hash_value.h"
#include "storage/value/list_value.h"
#include "storage/value/set_value.h"
#include "storage/value/stream_value.h"
#include "storage/value/zset_value.h"

namespace ember::storage {
namespace {

// Redis keeps strings up to this length in one allocation with their object header
// (OBJ_ENCODING_EMBSTR_SIZE_LIMIT); OBJECT ENCODING reports "embstr" for them.
constexpr size_t kEmbstrSizeLimit = 44;

// Strings report their encoding by length, not by history (Redis may keep "raw" for a
// short string that was appended to); Ember stores no history.
std::string_view StringEncoding(ValueRef value) {
  if (value.is_integer()) return "int";
  return value.bytes().size() <= kEmbstrSizeLimit ? "embstr" : "raw";
}

Value CloneString(ValueRef value) { return value.Clone(); }

size_t StringMemoryUsage(ValueRef value) { return value.HeapBytes(); }

Value EmptyString() { return Value(); }

// A hash reports the encoding it holds now ("listpack" or "hashtable"), copies with Clone
// and counts every block it owns.
std::string_view HashEncoding(ValueRef value) { return CollectionEncodingName(value.encoding()); }

Value CloneHash(ValueRef value) { return value.Clone(); }

size_t HashMemoryUsage(ValueRef value) { return value.HeapBytes(); }

Value EmptyHash() { return Value::Box(std::make_unique<HashValue>()); }

std::string_view ListEncoding(ValueRef value) { return CollectionEncodingName(value.encoding()); }
Value CloneList(ValueRef value) { return value.Clone(); }
size_t ListMemoryUsage(ValueRef value) { return value.HeapBytes(); }
Value EmptyList() { return Value::Box(std::make_unique<ListValue>()); }

std::string_view SetEncoding(ValueRef value) { return CollectionEncodingName(value.encoding()); }
Value CloneSet(ValueRef value) { return value.Clone(); }
size_t SetMemoryUsage(ValueRef value) { return value.HeapBytes(); }
Value EmptySet() { return Value::Box(std::make_unique<SetValue>()); }

// A sorted set reports "listpack" or "skiplist" (its index form), as Redis 7.0 names them.
std::string_view ZSetEncoding(ValueRef value) { return CollectionEncodingName(value.encoding()); }
Value CloneZSet(ValueRef value) { return value.Clone(); }
size_t ZSetMemoryUsage(ValueRef value) { return value.HeapBytes(); }
Value EmptyZSet() { return Value::Box(std::make_unique<SortedSetValue>(EncodingLimits{})); }

std::string_view StreamEncoding(ValueRef) { return "stream"; }
Value CloneStream(ValueRef value) { return value.Clone(); }
size_t StreamMemoryUsage(ValueRef value) { return value.HeapBytes(); }
Value EmptyStream() { return Value::Box(std::make_unique<StreamValue>()); }

constexpr auto kObjectEncoding = std::to_array<TypeRow<EncodingNameFn>>({
    {ValueType::kString, StringEncoding},
    {ValueType::kList, ListEncoding},
    {ValueType::kSet, SetEncoding},
    {ValueType::kZSet, ZSetEncoding},
    {ValueType::kHash, HashEncoding},
    {ValueType::kStream, StreamEncoding},
});

constexpr auto kCopy = std::to_array<TypeRow<CopyFn>>({
    {ValueType::kString, CloneString},
    {ValueType::kList, CloneList},
    {ValueType::kSet, CloneSet},
    {ValueType::kZSet, CloneZSet},
    {ValueType::kHash, CloneHash},
    {ValueType::kStream, CloneStream},
});

constexpr auto kMemoryUsage = std::to_array<TypeRow<MemoryUsageFn>>({
    {ValueType::kString, StringMemoryUsage},
    {ValueType::kList, ListMemoryUsage},
    {ValueType::kSet, SetMemoryUsage},
    {ValueType::kZSet, ZSetMemoryUsage},
    {ValueType::kHash, HashMemoryUsage},
    {ValueType::kStream, StreamMemoryUsage},
});

constexpr auto kEmptyValue = std::to_array<TypeRow<EmptyValueFn>>({
    {ValueType::kString, EmptyString},
    {ValueType::kList, EmptyList},
    {ValueType::kSet, EmptySet},
    {ValueType::kZSet, EmptyZSet},
    {ValueType::kHash, EmptyHash},
    {ValueType::kStream, EmptyStream},
});

// The handler for `type`, or nullptr: not supported yet, or no row for the type (a bug
// the concern test reports).
template <typename Handler, size_t N>
Handler RowFor(const std::array<TypeRow<Handler>, N>& table, ValueType type) {
  const size_t index = TypeIndex(type);
  if (index >= N || table[index].type != type) return nullptr;
  return table[index].handler;
}

}  // namespace

std::string_view ObjectEncoding(ValueRef value) {
  EncodingNameFn name = RowFor(kObjectEncoding, value.type());
  return name == nullptr ? std::string_view("unknown") : name(value);
}

std::optional<Value> CopyValue(ValueRef value) {
  CopyFn copy = RowFor(kCopy, value.type());
  if (copy == nullptr) return std::nullopt;
  return copy(value);
}

std::optional<size_t> ValueMemoryUsage(ValueRef value) {
  MemoryUsageFn usage = RowFor(kMemoryUsage, value.type());
  if (usage == nullptr) return std::nullopt;
  return usage(value);
}

std::optional<Value> EmptyValue(ValueType type) {
  EmptyValueFn make = RowFor(kEmptyValue, type);
  if (make == nullptr) return std::nullopt;
  return make();
}

std::span<const TypeRow<EncodingNameFn>> ObjectEncodingRows() { return kObjectEncoding; }
std::span<const TypeRow<CopyFn>> CopyRows() { return kCopy; }
std::span<const TypeRow<MemoryUsageFn>> MemoryUsageRows() { return kMemoryUsage; }
std::span<const TypeRow<EmptyValueFn>> EmptyValueRows() { return kEmptyValue; }

}  // namespace ember::storage
