#include "persistence/rdb_value_loaders.h"

#include <array>

#include "persistence/rdb_format.h"

namespace ember::persistence {
namespace {

Status LoadString(RdbInput& input, storage::Value* out) { return input.ReadStringValue(out); }

constexpr auto kTypes = std::to_array<RdbValueType>({
    {rdb::kTypeString, "string", LoadString},
    {rdb::kTypeList, "list (linked list)", nullptr},
    {rdb::kTypeSet, "set", nullptr},
    {rdb::kTypeZSet, "zset (text scores)", nullptr},
    {rdb::kTypeHash, "hash", nullptr},
    {rdb::kTypeZSet2, "zset", nullptr},
    {rdb::kTypeModulePreGa, "module (pre-GA)", nullptr},
    {rdb::kTypeModule2, "module", nullptr},
    {rdb::kTypeHashZipmap, "hash (zipmap)", nullptr},
    {rdb::kTypeListZiplist, "list (ziplist)", nullptr},
    {rdb::kTypeSetIntset, "set (intset)", nullptr},
    {rdb::kTypeZSetZiplist, "zset (ziplist)", nullptr},
    {rdb::kTypeHashZiplist, "hash (ziplist)", nullptr},
    {rdb::kTypeListQuicklist, "list (quicklist)", nullptr},
    {rdb::kTypeStreamListpacks, "stream", nullptr},
    {rdb::kTypeHashListpack, "hash (listpack)", nullptr},
    {rdb::kTypeZSetListpack, "zset (listpack)", nullptr},
    {rdb::kTypeListQuicklist2, "list (quicklist2)", nullptr},
    {rdb::kTypeStreamListpacks2, "stream (v2)", nullptr},
    {rdb::kTypeSetListpack, "set (listpack)", nullptr},
    {rdb::kTypeStreamListpacks3, "stream (v3)", nullptr},
    {rdb::kTypeHashMetadataPreGa, "hash with field TTLs (pre-GA)", nullptr},
    {rdb::kTypeHashListpackExPreGa, "hash with field TTLs (listpack, pre-GA)", nullptr},
    {rdb::kTypeHashMetadata, "hash with field TTLs", nullptr},
    {rdb::kTypeHashListpackEx, "hash with field TTLs (listpack)", nullptr},
});

}  // namespace

const RdbValueType* FindRdbValueType(uint8_t type_byte) {
  for (const RdbValueType& row : kTypes) {
    if (row.type_byte == type_byte) return &row;
  }
  return nullptr;
}

namespace rdb {

std::string_view TypeByteName(uint8_t type) {
  const RdbValueType* row = FindRdbValueType(type);
  return row == nullptr ? std::string_view("unknown") : row->name;
}

}  // namespace rdb
}  // namespace ember::persistence
