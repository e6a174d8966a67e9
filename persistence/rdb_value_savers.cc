#include "persistence/rdb_value_savers.h"

#include <array>

#include "persistence/rdb_format.h"

namespace ember::persistence {
namespace {

using storage::kNotSupportedYet;
using storage::ValueType;

uint8_t StringTypeByte(storage::ValueRef /*value*/) { return rdb::kTypeString; }

Status SaveString(RdbEncoder& out, storage::ValueRef value) {
  out.PutStringValue(value);
  return Status::Ok();
}

constexpr auto kSavers = std::to_array<RdbValueSaver>({
    {ValueType::kString, StringTypeByte, SaveString},
    {ValueType::kList, kNotSupportedYet, kNotSupportedYet},
    {ValueType::kSet, kNotSupportedYet, kNotSupportedYet},
    {ValueType::kZSet, kNotSupportedYet, kNotSupportedYet},
    {ValueType::kHash, kNotSupportedYet, kNotSupportedYet},
    {ValueType::kStream, kNotSupportedYet, kNotSupportedYet},
});

// What a type without a row gets (the concern test fails on a missing row first).
constexpr RdbValueSaver kMissingRow = {ValueType::kString, nullptr, nullptr};

}  // namespace

const RdbValueSaver& FindRdbValueSaver(storage::ValueType type) {
  const size_t index = storage::TypeIndex(type);
  if (index >= kSavers.size() || kSavers[index].type != type) return kMissingRow;
  return kSavers[index];
}

std::span<const RdbValueSaver> RdbValueSavers() { return kSavers; }

}  // namespace ember::persistence
