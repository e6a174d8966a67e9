#include "storage/value/value.h"

#include <gtest/gtest.h>

#include <cstring>
#include <new>
#include <string>
#include <utility>

#include "storage/value/chunk_bytes.h"
#include "tests/unit/storage/value/fake_collection.h"

namespace ember::storage {
namespace {

TEST(ValueTest, StringsKeepTheirCompactEncodings) {
  EXPECT_EQ(sizeof(Value), 16u);
  EXPECT_EQ(alignof(Value), 1u);
  Value integer = Value::String("-42");
  EXPECT_EQ(integer.type(), ValueType::kString);
  ASSERT_TRUE(integer.str().is_integer());
  EXPECT_EQ(integer.HeapBytes(), 0u);
  EXPECT_EQ(Value::String("fifteen bytes!!").HeapBytes(), 0u);
  EXPECT_EQ(Value().type(), ValueType::kString);
  EXPECT_EQ(Value().str().size(), 0u);
}

TEST(ValueTest, HeapStringsCountTheirBlockAsTheAllocatorSizesIt) {
  Value value = Value::String(std::string(100, 'x'));
  // The block is the 4-byte capacity header plus the bytes, in a 16-byte-rounded chunk.
  EXPECT_EQ(value.HeapBytes(), ChunkBytes(value.str().HeapBytes()));
  EXPECT_EQ(value.HeapBytes() % 16, 0u);
  EXPECT_GE(value.HeapBytes(), 100u + 4u + 8u);
  EXPECT_EQ(value.Ref().HeapBytes(), value.HeapBytes());
  EXPECT_EQ(ValueRef::Bytes(std::string(100, 'x')).HeapBytes(), 0u);
}

TEST(ValueTest, ABoxCarriesItsTypeAndTheCollection) {
  Value value = MakeList({"a", "bb"});
  EXPECT_EQ(value.type(), ValueType::kStream);
  EXPECT_FALSE(value.is_string());
  EXPECT_EQ(value.collection().Size(), 2u);
  EXPECT_EQ(value.As<FakeList>().Get(1), "bb");
  const ValueRef ref = value.Ref();
  EXPECT_EQ(ref.type(), ValueType::kStream);
  EXPECT_FALSE(ref.is_string());
  EXPECT_EQ(ref.Read<FakeList>()->Get(0), "a");
  EXPECT_EQ(&ref.collection(), &value.collection());
}

TEST(ValueTest, HeapBytesCountsEveryChunkOfACollection) {
  Value value = MakeList({});
  const size_t object = ChunkBytes(sizeof(FakeList));
  EXPECT_EQ(value.HeapBytes(), object);
  value.As<FakeList>().Push(std::string(100, 'a'));
  // The object, the two-slot index, the item block.
  EXPECT_EQ(value.HeapBytes(), object + ChunkBytes(2 * sizeof(char*)) + ChunkBytes(4 + 100));
  value.As<FakeList>().Pop();
  EXPECT_EQ(value.HeapBytes(), object + ChunkBytes(2 * sizeof(char*)));
  EXPECT_EQ(value.Ref().HeapBytes(), value.HeapBytes());
}

TEST(ValueTest, TheEncodingIsTheCollectionsOwn) {
  Value value = MakeList({"a"});
  EXPECT_EQ(value.collection().encoding(), CollectionEncoding::kListpack);
  value.As<FakeList>().Convert();
  EXPECT_EQ(value.collection().encoding(), CollectionEncoding::kQuicklist);
  EXPECT_EQ(CollectionEncodingName(value.collection().encoding()), "quicklist");
}

TEST(ValueTest, CloneCopiesACollectionDeeply) {
  Value original = MakeList({"a", "bb", "ccc"});
  Value copy = original.Clone();
  ASSERT_EQ(copy.type(), ValueType::kStream);
  EXPECT_NE(&copy.collection(), &original.collection());
  EXPECT_EQ(copy.HeapBytes(), original.HeapBytes());
  copy.As<FakeList>().Push("d");
  EXPECT_EQ(original.collection().Size(), 3u);
  EXPECT_EQ(copy.As<FakeList>().Get(2), "ccc");
  Value from_ref = original.Ref().Clone();
  EXPECT_EQ(from_ref.As<FakeList>().Get(1), "bb");
}

TEST(ValueTest, CloneKeepsAStringsEncoding) {
  EXPECT_TRUE(Value::Integer(7).Clone().str().is_integer());
  Value bytes = Value::Bytes("123");
  EXPECT_FALSE(bytes.Clone().str().is_integer());
  EXPECT_FALSE(bytes.Ref().Clone().str().is_integer());
  EXPECT_TRUE(ValueRef::Integer(5).Clone().str().is_integer());
  Value long_string = Value::String(std::string(300, 'z'));
  EXPECT_EQ(long_string.Clone().str().BytesView(), std::string(300, 'z'));
}

TEST(ValueTest, MovingABoxLeavesAnEmptyString) {
  Value source = MakeList({"a"});
  Value target = std::move(source);
  EXPECT_EQ(target.type(), ValueType::kStream);
  EXPECT_EQ(source.type(), ValueType::kString);  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(source.str().size(), 0u);            // NOLINT(bugprone-use-after-move)
  // Assigning over a box frees it (ASan reports a leak otherwise).
  target = Value::String("x");
  EXPECT_EQ(target.type(), ValueType::kString);
  target = MakeList({"b"});
  target = MakeList({"c", "d"});
  EXPECT_EQ(target.As<FakeList>().Get(1), "d");
}

// The relocation rule of value.h: a live Value moved by a byte copy is used and destroyed at
// its new address only. Under AddressSanitizer a Value that pointed into itself, or a
// collection that pointed back at it, would fail here.
template <typename Check>
void RelocateAndCheck(Value value, Check check) {
  unsigned char first[sizeof(Value)];
  unsigned char second[sizeof(Value) + 1];
  new (first) Value(std::move(value));
  // An odd offset too: entry blocks place a Value at any offset.
  std::memcpy(second + 1, first, sizeof(Value));
  std::memset(first, 0xa5, sizeof(first));  // the old bytes are dead
  Value* moved = std::launder(reinterpret_cast<Value*>(second + 1));
  check(*moved);
  moved->~Value();
}

TEST(ValueTest, ABoxSurvivesAByteCopy) {
  RelocateAndCheck(MakeList({"a", "bb"}), [](Value& moved) {
    ASSERT_EQ(moved.type(), ValueType::kStream);
    EXPECT_EQ(moved.As<FakeList>().Get(1), "bb");
    const size_t before = moved.HeapBytes();
    moved.As<FakeList>().Push("grows the index");
    EXPECT_GT(moved.HeapBytes(), before);
    EXPECT_EQ(moved.Clone().As<FakeList>().Get(2), "grows the index");
  });
}

TEST(ValueTest, AHeapStringSurvivesAByteCopy) {
  RelocateAndCheck(Value::String(std::string(200, 'q')), [](Value& moved) {
    EXPECT_EQ(moved.str().BytesView(), std::string(200, 'q'));
    moved.str().Append(std::string(500, 'r'));
    EXPECT_EQ(moved.str().size(), 700u);
  });
}

}  // namespace
}  // namespace ember::storage
