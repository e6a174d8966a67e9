#include "persistence/rdb_value_loaders.h"

#include <array>

#include "persistence/rdb_collection_loaders.h"
#include "persistence/rdb_format.h"

namespace ember::persistence {
namespace {

using storage::kNotSupportedYet;
using storage::ValueType;

Status LoadString(RdbInput& input, const RdbLoadContext& /*context*/, storage::Value* out) {
  return input.ReadStringValue(out);
}

constexpr auto kTypes = std::to_array<RdbValueType>({
    {rdb::kTypeString, "string", ValueType::kString, LoadString},
    {rdb::kTypeList, "list (linked list)", ValueType::kList, LoadList},
    {rdb::kTypeSet, "set", ValueType::kSet, LoadSet},
    {rdb::kTypeZSet, "zset (text scores)", ValueType::kZSet, LoadZSet},
    {rdb::kTypeHash, "hash", ValueType::kHash, LoadHash},
    {rdb::kTypeZSet2, "zset", ValueType::kZSet, LoadZSet2},
    {rdb::kTypeModulePreGa, "module (pre-GA)", std::nullopt, kNotSupportedYet},
    {rdb::kTypeModule2, "module", std::nullopt, kNotSupportedYet},
    {rdb::kTypeHashZipmap, "hash (zipmap)", ValueType::kHash, LoadHashZipmap},
    {rdb::kTypeListZiplist, "list (ziplist)", ValueType::kList, LoadListZiplist},
    {rdb::kTypeSetIntset, "set (intset)", ValueType::kSet, LoadSetIntset},
    {rdb::kTypeZSetZiplist, "zset (ziplist)", ValueType::kZSet, LoadZSetZiplist},
    {rdb::kTypeHashZiplist, "hash (ziplist)", ValueType::kHash, LoadHashZiplist},
    {rdb::kTypeListQuicklist, "list (quicklist)", ValueType::kList, LoadListQuicklist},
    {rdb::kTypeStreamListpacks, "stream", ValueType::kStream, LoadStreamListpacks},
    {rdb::kTypeHashListpack, "hash (listpack)", ValueType::kHash, LoadHashListpack},
    {rdb::kTypeZSetListpack, "zset (listpack)", ValueType::kZSet, LoadZSetListpack},
    {rdb::kTypeListQuicklist2, "list (quicklist2)", ValueType::kList, LoadListQuicklist2},
    {rdb::kTypeStreamListpacks2, "stream (v2)", ValueType::kStream, LoadStreamListpacks2},
    {rdb::kTypeSetListpack, "set (listpack)", ValueType::kSet, LoadSetListpack},
    {rdb::kTypeStreamListpacks3, "stream (v3)", ValueType::kStream, LoadStreamListpacks3},
    {rdb::kTypeHashMetadataPreGa, "hash with field TTLs (pre-GA)", ValueType::kHash,
     kNotSupportedYet},
    {rdb::kTypeHashListpackExPreGa, "hash with field TTLs (listpack, pre-GA)", ValueType::kHash,
     kNotSupportedYet},
    {rdb::kTypeHashMetadata, "hash with field TTLs", ValueType::kHash, kNotSupportedYet},
    {rdb::kTypeHashListpackEx, "hash with field TTLs (listpack)", ValueType::kHash,
     kNotSupportedYet},
});

}  // namespace

const RdbValueType* FindRdbValueType(uint8_t type_byte) {
  for (const RdbValueType& row : kTypes) {
    if (row.type_byte == type_byte) return &row;
  }
  return nullptr;
}

std::span<const RdbValueType> RdbValueTypes() { return kTypes; }

namespace rdb {

std::string_view TypeByteName(uint8_t type) {
  const RdbValueType* row = FindRdbValueType(type);
  return row == nullptr ? std::string_view("unknown") : row->name;
}

}  // namespace rdb
}  // namespace ember::persistence
