// Per-type value loaders: one row per RDB value type byte, naming the type and, for the
// types Ember can hold, the function that decodes it. Supporting a new data type is adding
// a loader and filling its row; RdbReader's opcode loop does not change.
//
// Stateless; the table is constant.
#pragma once

#include <cstdint>
#include <string_view>

#include "persistence/rdb_input.h"
#include "persistence/status.h"
#include "storage/value/value.h"

namespace ember::persistence {

using RdbValueLoader = Status (*)(RdbInput& input, storage::Value* out);

struct RdbValueType {
  uint8_t type_byte;
  std::string_view name;  // e.g. "list (quicklist2)"
  RdbValueLoader load;    // nullptr: a type Ember cannot hold yet
};

// The row for `type_byte`, or nullptr when the byte is not a known value type.
const RdbValueType* FindRdbValueType(uint8_t type_byte);

}  // namespace ember::persistence
