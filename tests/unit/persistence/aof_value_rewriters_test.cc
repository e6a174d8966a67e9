#include "persistence/aof_value_rewriters.h"

#include <gtest/gtest.h>

#include <string>

namespace ember::persistence {
namespace {

TEST(AofValueRewritersTest, AStringIsRebuiltWithSet) {
  AofRewriteFn rewrite = FindAofRewriter(storage::ValueType::kString);
  ASSERT_NE(rewrite, nullptr);
  std::string out;
  rewrite(&out, "n", storage::Value::Integer(-12).Ref());
  rewrite(&out, "s", storage::Value::Bytes("a b").Ref());
  EXPECT_EQ(out,
            "*3\r\n$3\r\nSET\r\n$1\r\nn\r\n$3\r\n-12\r\n"
            "*3\r\n$3\r\nSET\r\n$1\r\ns\r\n$3\r\na b\r\n");
}

// Sets and hashes: rdb_collection_savers_test.cc; sorted sets: rdb_zset_test.cc.
TEST(AofValueRewritersTest, EveryTypeHasARewriter) {
  for (storage::ValueType type : storage::kAllValueTypes) {
    EXPECT_NE(FindAofRewriter(type), nullptr) << storage::TypeName(type);
  }
}

}  // namespace
}  // namespace ember::persistence
