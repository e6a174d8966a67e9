// One dispatch per concern (docs/architecture.md, design.md): every table that chooses by
// value type has one row per storage::ValueType, in enum order. A row may say
// kNotSupportedYet, deliberately; a missing or misplaced row fails here, so a new type
// cannot forget a concern. The tables live in storage/ and persistence/, which this suite
// links; server/ only calls their dispatch functions.
#include <gtest/gtest.h>

#include <span>
#include <string>
#include <string_view>

#include "persistence/aof_value_rewriters.h"
#include "persistence/rdb_value_loaders.h"
#include "persistence/rdb_value_savers.h"
#include "storage/value/value_concerns.h"
#include "storage/value/value_type.h"

namespace ember::persistence {
namespace {

using storage::kAllValueTypes;
using storage::TypeName;
using storage::ValueType;

// Whether `rows` holds exactly one row per ValueType, row i serving ValueType i.
template <typename Row>
void ExpectOneRowPerType(std::string_view concern, std::span<const Row> rows) {
  EXPECT_EQ(rows.size(), storage::kValueTypeCount)
      << "the " << concern << " table has " << rows.size()
      << " rows: it needs exactly one per ValueType";
  for (ValueType type : kAllValueTypes) {
    const size_t index = storage::TypeIndex(type);
    if (index >= rows.size()) {
      ADD_FAILURE() << "the " << concern << " table has no row for type " << TypeName(type);
      continue;
    }
    EXPECT_EQ(TypeName(rows[index].type), TypeName(type))
        << "the " << concern << " table's row " << index << " serves type "
        << TypeName(rows[index].type) << " where type " << TypeName(type)
        << " belongs: a row is missing or out of order";
  }
}

template <typename Row>
bool Supports(std::span<const Row> rows, ValueType type) {
  const size_t index = storage::TypeIndex(type);
  return index < rows.size() && rows[index].type == type && rows[index].handler != nullptr;
}

bool SavesToRdb(ValueType type) {
  const RdbValueSaver& row = FindRdbValueSaver(type);
  return row.type == type && row.type_byte != nullptr && row.save != nullptr;
}

bool LoadsFromRdb(ValueType type) {
  for (const RdbValueType& row : RdbValueTypes()) {
    if (row.value_type == type && row.load != nullptr) return true;
  }
  return false;
}

TEST(ValueTypeConcernsTest, EveryStorageTableHasARowPerType) {
  ExpectOneRowPerType("OBJECT ENCODING", storage::ObjectEncodingRows());
  ExpectOneRowPerType("COPY", storage::CopyRows());
  ExpectOneRowPerType("MEMORY USAGE", storage::MemoryUsageRows());
  ExpectOneRowPerType("empty value (find-or-create)", storage::EmptyValueRows());
}

TEST(ValueTypeConcernsTest, EveryPersistenceTableHasARowPerType) {
  ExpectOneRowPerType("RDB save", RdbValueSavers());
  ExpectOneRowPerType("AOF rewrite", AofValueRewriters());
  for (const RdbValueSaver& row : RdbValueSavers()) {
    EXPECT_EQ(row.type_byte == nullptr, row.save == nullptr)
        << "the RDB save row of type " << TypeName(row.type)
        << " must name both the type byte and the saver, or neither";
  }
}

// RDB load is keyed by the file's type bytes, several per type (encodings, versions).
TEST(ValueTypeConcernsTest, EveryTypeHasRdbLoadRows) {
  for (ValueType type : kAllValueTypes) {
    bool has_row = false;
    for (const RdbValueType& row : RdbValueTypes()) has_row |= row.value_type == type;
    EXPECT_TRUE(has_row) << "the RDB load table has no row for type " << TypeName(type);
  }
}

// A type that can enter the keyspace (created by a command or loaded from a file) must be
// handled by every concern: a half-wired type would, say, load from RDB and then fail the
// next save.
TEST(ValueTypeConcernsTest, ATypeThatCanBeStoredIsSupportedByEveryConcern) {
  for (ValueType type : kAllValueTypes) {
    const bool creatable = Supports(storage::EmptyValueRows(), type);
    const bool loadable = LoadsFromRdb(type);
    if (!creatable && !loadable) continue;
    const std::string name(TypeName(type));
    EXPECT_TRUE(creatable) << name << " loads from RDB but cannot be created";
    EXPECT_TRUE(loadable) << name << " can be created but not loaded from RDB";
    EXPECT_TRUE(Supports(storage::ObjectEncodingRows(), type)) << name << ": OBJECT ENCODING";
    EXPECT_TRUE(Supports(storage::CopyRows(), type)) << name << ": COPY";
    EXPECT_TRUE(Supports(storage::MemoryUsageRows(), type)) << name << ": MEMORY USAGE";
    EXPECT_TRUE(SavesToRdb(type)) << name << ": RDB save";
    EXPECT_TRUE(Supports(AofValueRewriters(), type)) << name << ": AOF rewrite";
  }
  EXPECT_TRUE(LoadsFromRdb(ValueType::kString));
}

}  // namespace
}  // namespace ember::persistence
