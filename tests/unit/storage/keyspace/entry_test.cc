#include "storage/keyspace/entry.h"

#include <gtest/gtest.h>

#include <string>

#include "storage/keyspace/database.h"
#include "storage/keyspace/keyspace.h"
#include "storage/value/chunk_bytes.h"
#include "storage/value/hash_value.h"
#include "storage/value/set_value.h"
#include "storage/value/value_concerns.h"
#include "storage/value/varint.h"
#include "tests/unit/storage/value/fake_collection.h"

namespace ember::storage {
namespace {

std::string Text(const Entry* entry) {
  std::string out;
  entry->value().AppendTo(&out);
  return out;
}

// Destroys the entry at the end of a test, wherever stores have moved it.
struct EntryHolder {
  Entry* entry;
  ~EntryHolder() { Entry::Destroy(entry); }
};

TEST(EntryTest, ShortKeyAndValueShareOneSmallBlock) {
  EntryHolder held{Entry::CreateString("key:000000000001", "xxxxxxxxxxxxxxxx", 0)};
  EXPECT_EQ(held.entry->key(), "key:000000000001");
  EXPECT_EQ(Text(held.entry), "xxxxxxxxxxxxxxxx");
  // header + key + length byte + value: one 64-byte malloc chunk.
  EXPECT_EQ(held.entry->block_size(), 16u + 16u + 1u + 16u);
  EXPECT_EQ(held.entry->value_heap_bytes(), 0u);
}

TEST(EntryTest, CanonicalIntegersAreStoredAsIntegers) {
  EntryHolder held{Entry::CreateString("k", "-9223372036854775808", 0)};
  ASSERT_TRUE(held.entry->value().is_integer());
  EXPECT_EQ(held.entry->value().integer(), INT64_MIN);
  EXPECT_EQ(ObjectEncoding(held.entry->value()), "int");
  EXPECT_EQ(held.entry->block_size(), 16u + 1u + 8u);
  // Not canonical: kept as bytes.
  held.entry = Entry::StoreString(held.entry, "007");
  EXPECT_FALSE(held.entry->value().is_integer());
  EXPECT_EQ(Text(held.entry), "007");
}

TEST(EntryTest, BytesThatSpellAnIntegerStayBytesWhenStoredAsBytes) {
  EntryHolder held{Entry::Create("k", Value::Bytes("123"), 0)};
  EXPECT_FALSE(held.entry->value().is_integer());
  EXPECT_EQ(ObjectEncoding(held.entry->value()), "embstr");
}

TEST(EntryTest, LongValuesAreBoxedAndInlineLimitIsExact) {
  const std::string at_limit(Entry::kMaxInlineValue, 'a');
  const std::string over_limit(Entry::kMaxInlineValue + 1, 'b');
  EntryHolder held{Entry::CreateString("k", at_limit, 0)};
  EXPECT_EQ(held.entry->value_heap_bytes(), 0u);
  EXPECT_EQ(Text(held.entry), at_limit);
  held.entry = Entry::StoreString(held.entry, over_limit);
  EXPECT_GT(held.entry->value_heap_bytes(), over_limit.size());
  EXPECT_EQ(held.entry->block_size(), 16u + 1u + sizeof(Value));
  EXPECT_EQ(Text(held.entry), over_limit);
  EXPECT_EQ(ObjectEncoding(held.entry->value()), "raw");
}

TEST(EntryTest, StoresKeepKeyAccessAndTtlFlagAcrossEveryKind) {
  EntryHolder held{Entry::CreateString("the-key", "v", 0xabcdef)};
  held.entry = Entry::SetExpireAt(held.entry, 12345);
  const std::string values[] = {"42", std::string(300, 'x'), "short", std::string(200, 'y'), ""};
  for (const std::string& value : values) {
    held.entry = Entry::StoreString(held.entry, value);
    EXPECT_EQ(held.entry->key(), "the-key");
    EXPECT_EQ(held.entry->access(), 0xabcdefu);
    EXPECT_TRUE(held.entry->has_expire());
    EXPECT_EQ(Text(held.entry), value);
  }
}

TEST(EntryTest, TtlSlotIsAddedOnceAndDroppedAtTheNextStore) {
  EntryHolder held{Entry::CreateString("k", "value", 0)};
  const size_t plain = held.entry->block_size();
  held.entry = Entry::SetExpireAt(held.entry, 1'700'000'000'000);
  EXPECT_EQ(held.entry->block_size(), plain + 8);
  EXPECT_EQ(held.entry->expire_at(), 1'700'000'000'000);
  EXPECT_EQ(Text(held.entry), "value");
  // Changing the time rewrites the slot in place.
  Entry* before = held.entry;
  held.entry = Entry::SetExpireAt(held.entry, -5);
  EXPECT_EQ(held.entry, before);
  EXPECT_EQ(held.entry->expire_at(), -5);
  // PERSIST keeps the block (no move); the next store drops the unused slot.
  held.entry->ClearExpire();
  EXPECT_FALSE(held.entry->has_expire());
  EXPECT_EQ(held.entry->block_size(), plain + 8);
  held.entry = Entry::StoreString(held.entry, "other");
  EXPECT_EQ(held.entry->block_size(), plain);
  EXPECT_FALSE(held.entry->has_expire());
}

TEST(EntryTest, TakeValueMovesABoxedPayloadWithoutCopying) {
  EntryHolder held{Entry::CreateString("k", std::string(1000, 'z'), 0)};
  const char* bytes = held.entry->value().bytes().data();
  Value taken = held.entry->TakeValue();
  EXPECT_EQ(taken.str().BytesView().data(), bytes);
  EXPECT_EQ(held.entry->value().size(), 0u);
}

// Database relinks an entry a store moved: the key table must find it at its new address,
// with the TTL it carries. Values alternate between sizes that need different blocks, so
// realloc moves entries often (always under ASan).
TEST(EntryRelinkTest, MovedEntriesStayFindableWithTheirTtls) {
  Keyspace keyspace;
  Database& db = keyspace.db(0);
  constexpr int kKeys = 2000;
  for (int i = 0; i < kKeys; ++i) {
    Entry* entry = db.AddString("key:" + std::to_string(i), "v");
    if (i % 2 == 0) entry = db.SetExpire(entry, 1'000'000 + i);
  }
  for (int round = 0; round < 4; ++round) {
    for (int i = 0; i < kKeys; ++i) {
      const std::string key = "key:" + std::to_string(i);
      Entry* entry = db.Find(key, 0);
      ASSERT_NE(entry, nullptr);
      const std::string value(static_cast<size_t>((i * 37 + round * 101) % 400), 'a' + round);
      entry = db.OverwriteString(entry, value);
      ASSERT_EQ(db.FindStored(key), entry);
      ASSERT_EQ(Text(entry), value);
      ASSERT_EQ(db.GetExpire(entry), i % 2 == 0 ? 1'000'000 + i : -1);
    }
  }
  EXPECT_EQ(db.size(), static_cast<size_t>(kKeys));
  EXPECT_EQ(db.expires_size(), static_cast<size_t>(kKeys / 2));
  // The TTL count follows the moved entries: expiring every key reclaims each exactly once.
  for (int i = 0; i < kKeys; i += 2) {
    EXPECT_EQ(db.Find("key:" + std::to_string(i), 2'000'000), nullptr);
  }
  EXPECT_EQ(db.size(), static_cast<size_t>(kKeys / 2));
  EXPECT_EQ(db.expires_size(), 0u);
}

// The relocation rule of entry.h: SetExpireAt reallocs the block while the boxed Value is
// live. Run under AddressSanitizer, a box that pointed into the block would fail here.
TEST(EntryTest, ABoxedCollectionSurvivesTheBlockMoving) {
  Value list = MakeList({"a", "bb"});
  const Collection* collection = &list.collection();
  EntryHolder held{Entry::Create("k", std::move(list), 0)};
  EXPECT_EQ(held.entry->type(), ValueType::kStream);
  EXPECT_EQ(held.entry->block_size(), sizeof(Entry) + 1 + sizeof(Value));
  held.entry = Entry::SetExpireAt(held.entry, 1234);  // grows the block: realloc
  held.entry = Entry::SetExpireAt(held.entry, 5678);
  ASSERT_EQ(held.entry->type(), ValueType::kStream);
  EXPECT_EQ(&held.entry->value().collection(), collection);
  EXPECT_EQ(held.entry->value().Read<FakeList>()->Get(1), "bb");
  held.entry->boxed_value()->As<FakeList>().Push("ccc");
  EXPECT_EQ(held.entry->value_heap_bytes(), held.entry->value().HeapBytes());
  EXPECT_EQ(held.entry->expire_at(), 5678);
  // Replacing the collection with a string frees it (ASan reports a leak otherwise).
  held.entry = Entry::StoreString(held.entry, "now a string");
  EXPECT_EQ(held.entry->type(), ValueType::kString);
  EXPECT_EQ(held.entry->expire_at(), 5678);
}

TEST(EntryTest, ResettleMovesAShrunkBoxedStringInline) {
  EntryHolder held{Entry::CreateString("k", std::string(300, 'x'), 0)};
  ASSERT_NE(held.entry->boxed_value(), nullptr);
  held.entry = Entry::Resettle(held.entry);  // still long: stays boxed
  ASSERT_NE(held.entry->boxed_value(), nullptr);
  held.entry->boxed_value()->str().Assign("tiny");
  held.entry = Entry::Resettle(held.entry);
  EXPECT_EQ(held.entry->boxed_value(), nullptr);
  EXPECT_EQ(Text(held.entry), "tiny");
  EXPECT_EQ(held.entry->block_size(), sizeof(Entry) + 1 + 1 + 4);
}

Value SmallHash(int fields) {
  auto hash = std::make_unique<HashValue>();
  for (int i = 0; i < fields; ++i) {
    hash->Set("field:" + std::to_string(i), std::string(16, 'v'), EncodingLimits{});
  }
  return Value::Box(std::move(hash));
}

Value IntSet(std::initializer_list<int64_t> members) {
  auto set = std::make_unique<SetValue>();
  for (int64_t m : members) set->Add(std::to_string(m), EncodingLimits{});
  return Value::Box(std::move(set));
}

TEST(EntryPackedTest, ASmallHashLivesInTheBlockWithNoObject) {
  Value hash = SmallHash(5);
  const std::string packed(*hash.collection().PackedBytes());
  EntryHolder held{Entry::Create("hash:000000000001", std::move(hash), 0)};
  const ValueRef ref = held.entry->value();
  EXPECT_TRUE(ref.is_packed());
  EXPECT_EQ(ref.type(), ValueType::kHash);
  EXPECT_EQ(ref.encoding(), CollectionEncoding::kListpack);
  EXPECT_EQ(held.entry->value_heap_bytes(), 0u);
  // The slot's spare capacity only fills the malloc chunk the bytes need anyway.
  EXPECT_EQ(ChunkBytes(held.entry->block_size()),
            ChunkBytes(sizeof(Entry) + 17 + 2 * VarintSize(packed.size()) + packed.size()));
  NumberBuffer scratch;
  EXPECT_EQ(ref.Read<HashValue>()->Get("field:3", scratch), std::string(16, 'v'));
  EXPECT_EQ(ref.Read<HashValue>()->Size(), 5u);
  EXPECT_EQ(held.entry->boxed_value(), nullptr);
}

TEST(EntryPackedTest, SmallSetsPackInEitherFormAndTablesStayBoxed) {
  EntryHolder ints{Entry::Create("s", IntSet({3, 1, 70000}), 0)};
  EXPECT_TRUE(ints.entry->value().is_packed());
  EXPECT_EQ(ints.entry->value().encoding(), CollectionEncoding::kIntset);
  EXPECT_TRUE(ints.entry->value().Read<SetValue>()->Contains("70000"));
  auto words = std::make_unique<SetValue>();
  words->Add("word", EncodingLimits{});
  words->Add("7", EncodingLimits{});
  EntryHolder list{Entry::Create("w", Value::Box(std::move(words)), 0)};
  EXPECT_TRUE(list.entry->value().is_packed());
  EXPECT_EQ(list.entry->value().encoding(), CollectionEncoding::kHashtable);  // as 7.0 says
  EXPECT_TRUE(list.entry->value().Read<SetValue>()->Contains("7"));
  EXPECT_EQ(list.entry->value_heap_bytes(), 0u);
  auto many = std::make_unique<SetValue>();
  for (size_t i = 0; i <= SetValue::kMaxListMembers; ++i) {
    many->Add("m" + std::to_string(i), EncodingLimits{});
  }
  EntryHolder boxed{Entry::Create("t", Value::Box(std::move(many)), 0)};
  EXPECT_FALSE(boxed.entry->value().is_packed());
  EXPECT_EQ(boxed.entry->value().encoding(), CollectionEncoding::kHashtable);
  EXPECT_GT(boxed.entry->value_heap_bytes(), 0u);
}

TEST(EntryPackedTest, OnlyCollectionsUpToTheLimitPack) {
  // 40 fields of ~26 bytes: over kMaxPackedValue, yet still a listpack by Redis's limits.
  Value big = SmallHash(40);
  ASSERT_GT(big.collection().PackedBytes()->size(), Entry::kMaxPackedValue);
  EntryHolder held{Entry::Create("k", std::move(big), 0)};
  EXPECT_FALSE(held.entry->value().is_packed());
  EXPECT_EQ(held.entry->value().encoding(), CollectionEncoding::kListpack);
  // Shrunk under the limit in place, it packs at the next Resettle.
  HashValue& hash = held.entry->boxed_value()->As<HashValue>();
  for (int i = 5; i < 40; ++i) hash.Delete("field:" + std::to_string(i));
  held.entry = Entry::Resettle(held.entry);
  EXPECT_TRUE(held.entry->value().is_packed());
  EXPECT_EQ(held.entry->value().Read<HashValue>()->Size(), 5u);
}

TEST(EntryPackedTest, APackedValueKeepsItsTtlAcrossMovesAndStores) {
  EntryHolder held{Entry::Create("k", SmallHash(2), 0)};
  held.entry = Entry::SetExpireAt(held.entry, 4242);
  EXPECT_TRUE(held.entry->value().is_packed());
  EXPECT_EQ(held.entry->value().Read<HashValue>()->Size(), 2u);
  held.entry = Entry::StoreValue(held.entry, SmallHash(4));
  EXPECT_EQ(held.entry->expire_at(), 4242);
  EXPECT_EQ(held.entry->value().Read<HashValue>()->Size(), 4u);
}

TEST(EntryPackedTest, TakeValueUnpacksIntoTheSpareAndStoreValueFromLeavesItForReuse) {
  UnpackedSpares spares;
  EntryHolder held{Entry::Create("k", SmallHash(3), 0)};
  Value taken = held.entry->TakeValue(&spares);
  ASSERT_FALSE(taken.is_string());
  EXPECT_TRUE(held.entry->value().is_packed());  // the slot is left as it was
  const Collection* object = &taken.collection();
  taken.As<HashValue>().Set("new", "1", EncodingLimits{});
  held.entry = Entry::StoreValueFrom(held.entry, taken);
  EXPECT_EQ(held.entry->value().Read<HashValue>()->Size(), 4u);
  ASSERT_FALSE(taken.is_string());  // packed: copied, still here
  spares.Recycle(std::move(taken));
  // The next unpack reuses the object, now holding the entry's bytes.
  Value again = held.entry->TakeValue(&spares);
  EXPECT_EQ(&again.collection(), object);
  NumberBuffer scratch;
  EXPECT_EQ(again.As<HashValue>().Get("new", scratch), "1");
  EXPECT_EQ(again.collection().Size(), 4u);
  // Converted to a table it no longer packs: stored by moving it into the slot.
  again.As<HashValue>().ConvertToTable();
  held.entry = Entry::StoreValueFrom(held.entry, again);
  EXPECT_TRUE(again.is_string());
  EXPECT_FALSE(held.entry->value().is_packed());
  EXPECT_EQ(&held.entry->value().collection(), object);
}

}  // namespace
}  // namespace ember::storage
