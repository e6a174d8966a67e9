#include "storage/value/value_concerns.h"

#include <gtest/gtest.h>

#include <string>

#include "storage/value/hash_value.h"
#include "storage/value/list_value.h"
#include "storage/value/set_value.h"
#include "storage/value/stream_value.h"
#include "storage/value/zset_value.h"
#include "tests/unit/storage/value/fake_collection.h"

namespace ember::storage {
namespace {

TEST(ValueConcernsTest, ObjectEncodingFollowsRedisForStrings) {
  EXPECT_EQ(ObjectEncoding(Value::String("123").Ref()), "int");
  EXPECT_EQ(ObjectEncoding(Value::Integer(-5).Ref()), "int");
  EXPECT_EQ(ObjectEncoding(Value::String("0123").Ref()), "embstr");
  EXPECT_EQ(ObjectEncoding(Value::String(std::string(44, 'a')).Ref()), "embstr");
  EXPECT_EQ(ObjectEncoding(Value::String(std::string(45, 'a')).Ref()), "raw");
  EXPECT_EQ(TypeName(Value::String("x").type()), "string");
  EXPECT_EQ(TypeName(ValueType::kZSet), "zset");
}

TEST(ValueConcernsTest, CopyOfAStringIsDeepAndKeepsItsEncoding) {
  Value original = Value::String(std::string(100, 'c'));
  std::optional<Value> copy = CopyValue(original.Ref());
  ASSERT_TRUE(copy.has_value());
  EXPECT_EQ(copy->str().BytesView(), original.str().BytesView());
  EXPECT_NE(copy->str().BytesView().data(), original.str().BytesView().data());
  EXPECT_TRUE(CopyValue(ValueRef::Integer(9))->str().is_integer());
}

TEST(ValueConcernsTest, MemoryUsageOfAStringIsItsHeapChunk) {
  EXPECT_EQ(ValueMemoryUsage(ValueRef::Bytes("short")), 0u);
  Value long_string = Value::String(std::string(1000, 'm'));
  EXPECT_EQ(ValueMemoryUsage(long_string.Ref()), long_string.HeapBytes());
}

TEST(ValueConcernsTest, EmptyStringIsCreatable) {
  std::optional<Value> empty = EmptyValue(ValueType::kString);
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(empty->type(), ValueType::kString);
  EXPECT_EQ(empty->str().size(), 0u);
}

// No collection type exists yet: each concern says so for one instead of guessing.
TEST(ValueConcernsTest, ListsReportQuicklistCopyAndCountTheirBlocks) {
  auto list = std::make_unique<ListValue>();
  for (int i = 0; i < 1000; ++i) list->Push(ListValue::End::kBack, "element", 4);
  const size_t heap = list->heap_bytes();
  Value value = Value::Box(std::move(list));
  EXPECT_EQ(ObjectEncoding(value.Ref()), "quicklist");
  EXPECT_EQ(ValueMemoryUsage(value.Ref()), heap);
  std::optional<Value> copy = CopyValue(value.Ref());
  ASSERT_TRUE(copy.has_value());
  EXPECT_EQ(copy->Ref().type(), ValueType::kList);
  EXPECT_EQ(copy->Ref().Read<ListValue>()->Size(), 1000u);
  EXPECT_EQ(EmptyValue(ValueType::kList)->Ref().Read<ListValue>()->Size(), 0u);
}

// A stream reports "stream", copies its entries and metadata, and counts its nodes.
TEST(ValueConcernsTest, StreamsReportTheirEncodingCopyAndMemory) {
  std::optional<Value> stream = EmptyValue(ValueType::kStream);
  ASSERT_TRUE(stream.has_value());
  ASSERT_EQ(stream->type(), ValueType::kStream);
  EXPECT_EQ(ObjectEncoding(stream->Ref()), "stream");
  const size_t empty_bytes = *ValueMemoryUsage(stream->Ref());
  const std::string_view fields[] = {"field", "value"};
  stream->As<StreamValue>().Append({1, 1}, fields, {});
  EXPECT_GT(*ValueMemoryUsage(stream->Ref()), empty_bytes);
  std::optional<Value> copy = CopyValue(stream->Ref());
  ASSERT_TRUE(copy.has_value());
  EXPECT_EQ(copy->As<StreamValue>().Size(), 1u);
  EXPECT_EQ(copy->As<StreamValue>().last_id(), (StreamId{1, 1}));
  EXPECT_EQ(*ValueMemoryUsage(copy->Ref()), *ValueMemoryUsage(stream->Ref()));
}

// "listpack" while packed, "skiplist" once indexed, as Redis 7.0 names them; a copy keeps
// the form.
TEST(ValueConcernsTest, SortedSetsReportTheirEncodingCopyAndMemory) {
  std::optional<Value> zset = EmptyValue(ValueType::kZSet);
  ASSERT_TRUE(zset.has_value());
  ASSERT_EQ(zset->type(), ValueType::kZSet);
  EXPECT_EQ(zset->As<SortedSetValue>().Size(), 0u);
  EXPECT_EQ(ObjectEncoding(zset->Ref()), "listpack");

  EncodingLimits limits;
  limits.zset_max_listpack_entries = 1;
  zset->As<SortedSetValue>().Add("a", 1, limits);
  std::optional<Value> small_copy = CopyValue(zset->Ref());
  zset->As<SortedSetValue>().Add("b", 2, limits);
  EXPECT_EQ(ObjectEncoding(zset->Ref()), "skiplist");
  EXPECT_EQ(ValueMemoryUsage(zset->Ref()), zset->HeapBytes());
  ASSERT_TRUE(small_copy.has_value());
  EXPECT_EQ(ObjectEncoding(small_copy->Ref()), "listpack");
  std::optional<Value> big_copy = CopyValue(zset->Ref());
  ASSERT_TRUE(big_copy.has_value());
  EXPECT_EQ(ObjectEncoding(big_copy->Ref()), "skiplist");
  EXPECT_EQ(big_copy->As<SortedSetValue>().Score("b"), 2);
}

TEST(ValueConcernsTest, HashConcernsFollowItsEncoding) {
  std::optional<Value> hash = EmptyValue(ValueType::kHash);
  ASSERT_TRUE(hash.has_value());
  EXPECT_EQ(hash->type(), ValueType::kHash);
  EXPECT_EQ(hash->collection().Size(), 0u);
  EXPECT_EQ(ObjectEncoding(hash->Ref()), "listpack");

  EncodingLimits limits;
  limits.hash_max_listpack_entries = 1;
  hash->As<HashValue>().Set("a", "1", limits);
  std::optional<Value> small_copy = CopyValue(hash->Ref());
  hash->As<HashValue>().Set("b", "2", limits);
  EXPECT_EQ(ObjectEncoding(hash->Ref()), "hashtable");
  EXPECT_EQ(ValueMemoryUsage(hash->Ref()), hash->HeapBytes());

  ASSERT_TRUE(small_copy.has_value());
  EXPECT_EQ(ObjectEncoding(small_copy->Ref()), "listpack");
  EXPECT_EQ(small_copy->collection().Size(), 1u);
  std::optional<Value> big_copy = CopyValue(hash->Ref());
  ASSERT_TRUE(big_copy.has_value());
  EXPECT_EQ(ObjectEncoding(big_copy->Ref()), "hashtable");
  EXPECT_EQ(big_copy->collection().Size(), 2u);
}

}  // namespace
}  // namespace ember::storage

namespace ember::storage {
namespace {

TEST(ValueConcernsTest, SetsReportTheirEncodingCopyAndMemory) {
  std::optional<Value> empty = EmptyValue(ValueType::kSet);
  ASSERT_TRUE(empty.has_value());
  ASSERT_EQ(empty->type(), ValueType::kSet);
  EXPECT_EQ(empty->As<SetValue>().Size(), 0u);
  EXPECT_EQ(ObjectEncoding(empty->Ref()), "intset");

  Value set = std::move(*empty);
  set.As<SetValue>().Add("word", EncodingLimits{});
  EXPECT_EQ(ObjectEncoding(set.Ref()), "hashtable");
  EXPECT_EQ(ValueMemoryUsage(set.Ref()), set.HeapBytes());
  std::optional<Value> copy = CopyValue(set.Ref());
  ASSERT_TRUE(copy.has_value());
  EXPECT_TRUE(copy->As<SetValue>().Contains("word"));
  EXPECT_NE(&copy->As<SetValue>(), &set.As<SetValue>());
}

}  // namespace
}  // namespace ember::storage
