// ValueType: the kinds of value a key can hold, and the shape of the per-concern dispatch
// tables that choose, by type, how a value is encoded, copied, measured, saved or rebuilt.
//
// Every concern that depends on the type of a value (OBJECT ENCODING, COPY, MEMORY USAGE,
// creating an empty value, RDB save and load, AOF rewrite) keeps one table with one row per
// ValueType, in enum order. A row whose handler is kNotSupportedYet says that the concern
// does not handle that type yet, deliberately; a missing row is a bug, and
// tests/unit/persistence/value_type_concerns_test.cc fails on it. Adding a type means adding
// its files and filling its row in each table.
//
// Stateless; tables are constant.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ember::storage {

enum class ValueType : uint8_t { kString, kList, kSet, kZSet, kHash, kStream };

inline constexpr size_t kValueTypeCount = 6;
inline constexpr std::array<ValueType, kValueTypeCount> kAllValueTypes = {
    ValueType::kString, ValueType::kList, ValueType::kSet,
    ValueType::kZSet,   ValueType::kHash, ValueType::kStream};

// The position of a type's row in every per-type table.
constexpr size_t TypeIndex(ValueType type) { return static_cast<size_t>(type); }

// Redis's TYPE reply word for a type ("string", "list", ...).
std::string_view TypeName(ValueType type);

// A handler value meaning "this concern does not handle this type yet".
inline constexpr std::nullptr_t kNotSupportedYet = nullptr;

// One row of a per-concern table: `handler` serves values of `type`, or is kNotSupportedYet.
template <typename Handler>
struct TypeRow {
  ValueType type;
  Handler handler;
};

}  // namespace ember::storage
