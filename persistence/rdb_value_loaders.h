// Per-type value loaders: one row per RDB value type byte, naming the type, the
// storage::ValueType it loads into and, for the types Ember can hold, the function that
// decodes it. Supporting a new data type is adding a loader and filling its rows;
// RdbReader's opcode loop does not change. The save side is rdb_value_savers.h.
//
// A loader builds the value the way Redis's rdbLoadObject does, including the encoding it
// chooses (a small hash stays a listpack, an intset too large for set-max-intset-entries
// becomes a table), from the limits in its RdbLoadContext. A corrupt value is refused with
// the offset of the bytes at fault; the reader adds the key and the type.
//
// Stateless; the table is constant.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "persistence/rdb_input.h"
#include "persistence/status.h"
#include "storage/value/encoding_limits.h"
#include "storage/value/value.h"

namespace ember::persistence {

// What loaders need from the keyspace being filled: the limits that decide the encoding of
// a loaded collection (the keyspace's, so a config file's values apply at startup).
struct RdbLoadContext {
  storage::EncodingLimits limits;
};

using RdbValueLoader = Status (*)(RdbInput& input, const RdbLoadContext& context,
                                  storage::Value* out);

struct RdbValueType {
  uint8_t type_byte;
  std::string_view name;                         // e.g. "list (quicklist2)"
  std::optional<storage::ValueType> value_type;  // nullopt: modules, no Ember type
  RdbValueLoader load;                           // kNotSupportedYet: Ember cannot hold it yet
};

// The row for `type_byte`, or nullptr when the byte is not a known value type.
const RdbValueType* FindRdbValueType(uint8_t type_byte);
// The whole table, for the per-type concern test.
std::span<const RdbValueType> RdbValueTypes();

}  // namespace ember::persistence
