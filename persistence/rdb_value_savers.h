// Per-type value savers: one row per storage::ValueType, in enum order, mirroring the load
// table (rdb_value_loaders.h). A row names the RDB type byte a value is saved under (which
// may depend on its encoding: a small set is a listpack, a large one a hash table) and the
// function that writes the value with an RdbEncoder, as Redis's rdbSaveObjectType and
// rdbSaveObject do. Both are kNotSupportedYet for a type Ember cannot hold yet, so saving
// one fails with an error naming the key and type. DUMP payloads (dump_payload.h) use the same
// rows.
//
// Supporting a new data type is adding a saver and filling its row; RdbWriter does not
// change. Stateless; the table is constant.
#pragma once

#include <cstdint>
#include <span>

#include "persistence/rdb_encoder.h"
#include "persistence/status.h"
#include "storage/value/value.h"
#include "storage/value/value_type.h"

namespace ember::persistence {

using RdbTypeByteFn = uint8_t (*)(storage::ValueRef value);
using RdbValueSaveFn = Status (*)(RdbEncoder& out, storage::ValueRef value);

struct RdbValueSaver {
  storage::ValueType type;
  RdbTypeByteFn type_byte;  // kNotSupportedYet (nullptr) with `save`
  RdbValueSaveFn save;
};

// The row for `type`; its functions are null when the type cannot be saved yet.
const RdbValueSaver& FindRdbValueSaver(storage::ValueType type);
// The whole table, for the per-type concern test.
std::span<const RdbValueSaver> RdbValueSavers();

}  // namespace ember::persistence
