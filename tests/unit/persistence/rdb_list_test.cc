// Lists in the RDB and AOF: saved as Redis 7.0 saves a quicklist (type 18, one packed
// listpack per node), loaded from every list encoding Redis has written (plain list 1,
// ziplist 10, quicklist of ziplists 14, quicklist2 18 with packed and plain nodes), corrupt
// values refused with their offset, and rewritten as RPUSH in 64-element batches.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "persistence/aof_value_rewriters.h"
#include "persistence/byte_io.h"
#include "persistence/rdb_collection_loaders.h"
#include "persistence/rdb_format.h"
#include "persistence/rdb_input.h"
#include "persistence/rdb_value_savers.h"
#include "storage/value/list_value.h"
#include "storage/value/number_format.h"
#include "tests/unit/persistence/compact_blobs.h"
#include "tests/unit/persistence/rdb_test_util.h"

namespace ember::persistence {
namespace {

using storage::Listpack;
using storage::ListValue;
using storage::Value;
using Strings = std::vector<std::string>;

Value MakeList(const Strings& elements, int fill = ListValue::kDefaultFill) {
  auto list = std::make_unique<ListValue>();
  for (const std::string& e : elements) list->Push(ListValue::End::kBack, e, fill);
  return Value::Box(std::move(list));
}

Strings ElementsOf(const Value& value) {
  Strings out;
  const ListValue& list = value.As<ListValue>();
  list.Visit(0, list.Size(), false, [&out](const ListValue::Element& e) {
    storage::NumberBuffer scratch;
    out.emplace_back(e.View(scratch));
    return true;
  });
  return out;
}

using testing::Length;
using testing::ListpackOf;
using testing::Str;

Status Load(RdbValueLoader loader, std::string_view encoded, Value* out) {
  MemorySource source(encoded);
  RdbInput input(&source);
  return loader(input, RdbLoadContext{}, out);
}

std::string Save(const Value& value, uint8_t* type_byte) {
  return testing::SaveValue(value, type_byte);
}

TEST(RdbListTest, AListIsSavedAsRedis70SavesItsQuicklist) {
  uint8_t type = 0;
  // Redis 7.0 after RPUSH mylist a b c (tests/golden/rdb/list_7.0.rdb holds these bytes).
  EXPECT_EQ(Save(MakeList({"a", "b", "c"}), &type),
            Length(1) + Length(2) + Str(ListpackOf({"a", "b", "c"})));
  EXPECT_EQ(type, rdb::kTypeListQuicklist2);
}

TEST(RdbListTest, EveryNodeIsSavedAsAListpackAndLoadsBackInOrder) {
  Strings elements;
  for (int i = 0; i < 50; ++i)
    elements.push_back(i % 7 == 0 ? std::to_string(i * 1000) : "e" + std::to_string(i));
  const Value list = MakeList(elements, 8);  // nodes of 8 elements
  uint8_t type = 0;
  const std::string saved = Save(list, &type);
  ASSERT_EQ(list.As<ListValue>().node_count(), 7u);
  EXPECT_EQ(saved.substr(0, 1), Length(7));
  Value loaded;
  ASSERT_TRUE(Load(LoadListQuicklist2, saved, &loaded).ok());
  EXPECT_EQ(ElementsOf(loaded), elements);
  EXPECT_EQ(loaded.As<ListValue>().node_count(), 7u);  // nodes adopted as they were
}

TEST(RdbListTest, OlderEncodingsLoadTheirElementsInOrder) {
  const Strings elements = {"a", "12", "-7", std::string(300, 'x'), ""};
  Value v;
  // 1: a count and element strings.
  std::string plain = Length(elements.size());
  for (const std::string& e : elements) plain += Str(e);
  ASSERT_TRUE(Load(LoadList, plain, &v).ok());
  EXPECT_EQ(ElementsOf(v), elements);
  // 10: one ziplist.
  ASSERT_TRUE(Load(LoadListZiplist, testing::EncodedBlob(testing::Ziplist(elements)), &v).ok());
  EXPECT_EQ(ElementsOf(v), elements);
  // 14: nodes of ziplists.
  const std::string quicklist =
      Length(2) + testing::EncodedBlob(testing::Ziplist({"a", "12"})) +
      testing::EncodedBlob(testing::Ziplist({"-7", std::string(300, 'x'), ""}));
  ASSERT_TRUE(Load(LoadListQuicklist, quicklist, &v).ok());
  EXPECT_EQ(ElementsOf(v), elements);
  // 18 with a plain node (Redis 7.0 writes one for an element past its packed threshold)
  // and an empty packed node, which Redis skips.
  const std::string quicklist2 = Length(3) + Length(2) + Str(ListpackOf({"a", "12"})) + Length(1) +
                                 Str("-7") + Length(2) + Str(ListpackOf({}));
  ASSERT_TRUE(Load(LoadListQuicklist2, quicklist2, &v).ok());
  EXPECT_EQ(ElementsOf(v), (Strings{"a", "12", "-7"}));
}

TEST(RdbListTest, CorruptListsAreRefusedWithTheirOffset) {
  Value v;
  // No elements at all.
  Status s = Load(LoadList, Length(0), &v);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("empty list"), std::string::npos) << s.message();
  s = Load(LoadListQuicklist2, Length(1) + Length(2) + Str(ListpackOf({})), &v);
  EXPECT_NE(s.message().find("empty list"), std::string::npos) << s.message();
  // An unknown node container.
  s = Load(LoadListQuicklist2, Length(1) + Length(3) + Str(ListpackOf({"a"})), &v);
  EXPECT_NE(s.message().find("container 3"), std::string::npos) << s.message();
  EXPECT_EQ(s.offset(), 1);
  // A listpack whose count is wrong.
  std::string bad = ListpackOf({"a", "b"});
  bad[4] = 3;
  s = Load(LoadListQuicklist2, Length(1) + Length(2) + Str(bad), &v);
  EXPECT_NE(s.message().find("invalid list listpack"), std::string::npos) << s.message();
  EXPECT_EQ(s.offset(), 2);
  // A ziplist cut short.
  const std::string zl = testing::Ziplist({"a", "b"});
  s = Load(LoadListZiplist, testing::EncodedBlob(zl.substr(0, zl.size() - 2)), &v);
  EXPECT_NE(s.message().find("invalid ziplist"), std::string::npos) << s.message();
  // Truncated input.
  s = Load(LoadList, Length(2) + Str("a"), &v);
  EXPECT_FALSE(s.ok());
}

TEST(RdbListTest, RewriteIsRpushIn64ElementBatchesInOrder) {
  Strings elements;
  for (int i = 0; i < 130; ++i) elements.push_back(i == 5 ? "100" : "e" + std::to_string(i));
  const Value list = MakeList(elements, 10);
  std::string out;
  FindAofRewriter(storage::ValueType::kList)(&out, "k", list.Ref());
  std::string expected;
  for (size_t from = 0; from < elements.size(); from += 64) {
    const size_t n = std::min<size_t>(64, elements.size() - from);
    expected += "*" + std::to_string(2 + n) + "\r\n$5\r\nRPUSH\r\n$1\r\nk\r\n";
    for (size_t i = from; i < from + n; ++i) {
      expected += "$" + std::to_string(elements[i].size()) + "\r\n" + elements[i] + "\r\n";
    }
  }
  EXPECT_EQ(out, expected);
}

}  // namespace
}  // namespace ember::persistence
