#include "storage/value/hash_value.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace ember::storage {
namespace {

using Pairs = std::map<std::string, std::string>;

EncodingLimits Limits(int64_t entries, int64_t value) {
  EncodingLimits limits;
  limits.hash_max_listpack_entries = entries;
  limits.hash_max_listpack_value = value;
  return limits;
}

const EncodingLimits kDefault;

Pairs Contents(const HashValue& hash) {
  Pairs pairs;
  hash.ForEach([&](std::string_view field, std::string_view value) {
    EXPECT_TRUE(pairs.emplace(field, value).second) << "field seen twice: " << field;
  });
  return pairs;
}

std::string GetOr(const HashValue& hash, std::string_view field) {
  NumberBuffer scratch;
  std::optional<std::string_view> value = hash.Get(field, scratch);
  return value.has_value() ? std::string(*value) : "<none>";
}

// A hash of `n` fields "f0".."f<n-1>" with values "v0"..., under `limits`.
std::unique_ptr<HashValue> Filled(size_t n, const EncodingLimits& limits = kDefault) {
  auto hash = std::make_unique<HashValue>();
  for (size_t i = 0; i < n; ++i) {
    hash->Set("f" + std::to_string(i), "v" + std::to_string(i), limits);
  }
  return hash;
}

TEST(HashValueTest, AnEmptyHashIsAListpackWithNoFields) {
  HashValue hash;
  EXPECT_EQ(hash.Size(), 0u);
  EXPECT_EQ(hash.encoding(), CollectionEncoding::kListpack);
  EXPECT_EQ(hash.type(), ValueType::kHash);
  EXPECT_FALSE(hash.Contains("x"));
  EXPECT_EQ(hash.ValueLength("x"), 0u);
  EXPECT_GT(hash.heap_bytes(), 0u);
}

TEST(HashValueTest, SetReportsNewFieldsAndReplacesExistingOnes) {
  HashValue hash;
  EXPECT_TRUE(hash.Set("a", "1", kDefault));
  EXPECT_TRUE(hash.Set("b", "two", kDefault));
  EXPECT_FALSE(hash.Set("a", "uno", kDefault));
  EXPECT_EQ(hash.Size(), 2u);
  EXPECT_EQ(GetOr(hash, "a"), "uno");
  EXPECT_EQ(GetOr(hash, "b"), "two");
  EXPECT_EQ(GetOr(hash, "c"), "<none>");
  EXPECT_EQ(hash.ValueLength("b"), 3u);
}

TEST(HashValueTest, IntegerValuesReadBackAsTheirDigits) {
  for (int64_t entries : {int64_t{512}, int64_t{0}}) {
    HashValue hash;
    hash.Set("n", "-9223372036854775808", Limits(entries, 64));
    hash.Set("12", "0", Limits(entries, 64));
    EXPECT_EQ(GetOr(hash, "n"), "-9223372036854775808");
    EXPECT_EQ(hash.ValueLength("n"), 20u);
    EXPECT_EQ(GetOr(hash, "12"), "0");
    EXPECT_TRUE(hash.Contains("12"));
  }
}

TEST(HashValueTest, ListpackKeepsInsertionOrder) {
  HashValue hash;
  for (std::string_view field : {"z", "a", "m", "b"}) hash.Set(field, "v", kDefault);
  std::vector<std::string> order;
  hash.ForEach([&](std::string_view field, std::string_view) { order.emplace_back(field); });
  EXPECT_EQ(order, (std::vector<std::string>{"z", "a", "m", "b"}));
}

TEST(HashValueTest, ConvertsWhenFieldsExceedTheEntriesLimit) {
  const EncodingLimits limits = Limits(4, 64);
  auto hash_owner = Filled(4, limits);
  HashValue& hash = *hash_owner;
  EXPECT_EQ(hash.encoding(), CollectionEncoding::kListpack);
  hash.Set("f0", "replaced", limits);
  EXPECT_EQ(hash.encoding(), CollectionEncoding::kListpack);
  hash.Set("f4", "v4", limits);
  EXPECT_EQ(hash.encoding(), CollectionEncoding::kHashtable);
  EXPECT_EQ(hash.Size(), 5u);
  EXPECT_EQ(GetOr(hash, "f0"), "replaced");
  EXPECT_EQ(GetOr(hash, "f4"), "v4");
}

TEST(HashValueTest, ConvertsWhenAFieldOrValueIsLongerThanTheValueLimit) {
  const EncodingLimits limits = Limits(512, 8);
  HashValue exact;
  exact.Set(std::string(8, 'f'), std::string(8, 'v'), limits);
  EXPECT_EQ(exact.encoding(), CollectionEncoding::kListpack);

  HashValue long_value;
  long_value.Set("f", std::string(9, 'v'), limits);
  EXPECT_EQ(long_value.encoding(), CollectionEncoding::kHashtable);

  HashValue long_field;
  long_field.Set(std::string(9, 'f'), "v", limits);
  EXPECT_EQ(long_field.encoding(), CollectionEncoding::kHashtable);

  // Replacing a value with a long one converts too.
  HashValue replaced;
  replaced.Set("f", "short", limits);
  EXPECT_FALSE(replaced.Set("f", "a much longer value", limits));
  EXPECT_EQ(replaced.encoding(), CollectionEncoding::kHashtable);
  EXPECT_EQ(GetOr(replaced, "f"), "a much longer value");
}

TEST(HashValueTest, ZeroEntriesLimitMakesEveryHashATable) {
  HashValue hash;
  hash.Set("f", "v", Limits(0, 64));
  EXPECT_EQ(hash.encoding(), CollectionEncoding::kHashtable);
}

TEST(HashValueTest, ConversionKeepsEveryFieldAndNeverGoesBack) {
  const EncodingLimits limits = Limits(16, 64);
  auto hash_owner = Filled(40, limits);
  HashValue& hash = *hash_owner;
  ASSERT_EQ(hash.encoding(), CollectionEncoding::kHashtable);
  Pairs contents = Contents(hash);
  ASSERT_EQ(contents.size(), 40u);
  for (size_t i = 0; i < 40; ++i) {
    EXPECT_EQ(contents["f" + std::to_string(i)], "v" + std::to_string(i));
  }
  for (size_t i = 0; i < 39; ++i) EXPECT_TRUE(hash.Delete("f" + std::to_string(i)));
  EXPECT_FALSE(hash.Delete("f0"));
  EXPECT_EQ(hash.Size(), 1u);
  EXPECT_EQ(hash.encoding(), CollectionEncoding::kHashtable);
  EXPECT_EQ(GetOr(hash, "f39"), "v39");
}

TEST(HashValueTest, ListpackHeapBytesReturnToTheStartAfterAddingAndDeleting) {
  auto hash_owner = Filled(3);
  HashValue& hash = *hash_owner;
  const size_t start = hash.heap_bytes();
  for (int i = 0; i < 50; ++i)
    hash.Set("extra" + std::to_string(i), std::string(60, 'x'), kDefault);
  EXPECT_GT(hash.heap_bytes(), start + 50 * 60);
  for (int i = 0; i < 50; ++i) EXPECT_TRUE(hash.Delete("extra" + std::to_string(i)));
  EXPECT_EQ(hash.encoding(), CollectionEncoding::kListpack);
  EXPECT_EQ(hash.heap_bytes(), start);
}

TEST(HashValueTest, TableHeapBytesReturnToTheStartAfterAddingAndDeleting) {
  auto hash_owner = Filled(3, Limits(0, 64));
  HashValue& hash = *hash_owner;
  ASSERT_EQ(hash.encoding(), CollectionEncoding::kHashtable);
  const size_t start = hash.heap_bytes();
  // One more field stays within the table's four buckets: no resize, so the bytes must
  // come back exactly.
  hash.Set("extra", std::string(100, 'x'), kDefault);
  EXPECT_GE(hash.heap_bytes(), start + 100 + 16 + 5);
  EXPECT_TRUE(hash.Delete("extra"));
  EXPECT_EQ(hash.heap_bytes(), start);
}

TEST(HashValueTest, TableValueThatGrowsAndShrinksIsReaccounted) {
  auto hash_owner = Filled(3, Limits(0, 64));
  HashValue& hash = *hash_owner;
  const size_t start = hash.heap_bytes();
  hash.Set("f1", std::string(1000, 'g'), kDefault);
  EXPECT_GE(hash.heap_bytes(), start + 990);
  EXPECT_EQ(GetOr(hash, "f1"), std::string(1000, 'g'));
  EXPECT_EQ(GetOr(hash, "f0"), "v0");
  EXPECT_EQ(GetOr(hash, "f2"), "v2");
  hash.Set("f1", "v1", kDefault);
  EXPECT_EQ(hash.heap_bytes(), start);
  EXPECT_EQ(GetOr(hash, "f1"), "v1");
}

TEST(HashValueTest, GrowingTableAccountsBucketArraysAndNodes) {
  auto small_owner = Filled(1, Limits(0, 64));
  HashValue& small = *small_owner;
  auto big_owner = Filled(1000, Limits(0, 64));
  HashValue& big = *big_owner;
  // Each field costs at least its node (16-byte header + bytes); the buckets at least a
  // pointer per field.
  EXPECT_GT(big.heap_bytes(), small.heap_bytes() + 999 * (16 + 4 + 8));
}

TEST(HashValueTest, CloneCopiesFieldsAndEncodingIndependently) {
  for (int64_t entries : {int64_t{512}, int64_t{0}}) {
    auto hash_owner = Filled(20, Limits(entries, 64));
    HashValue& hash = *hash_owner;
    std::unique_ptr<Collection> copy = hash.Clone();
    auto& clone = static_cast<HashValue&>(*copy);
    EXPECT_EQ(clone.encoding(), hash.encoding());
    EXPECT_EQ(Contents(clone), Contents(hash));
    if (entries != 0) {
      EXPECT_EQ(clone.heap_bytes(), hash.heap_bytes());
    }
    clone.Set("f0", "changed", kDefault);
    EXPECT_EQ(GetOr(hash, "f0"), "v0");
  }
}

TEST(HashValueTest, FromListpackConvertsWhenTheListpackExceedsTheLimits) {
  auto make = [] {
    Listpack pairs;
    for (std::string_view entry : {"a", "1", "b", "2", "c", "3"}) pairs.Append(entry);
    return pairs;
  };
  std::unique_ptr<HashValue> fits = HashValue::FromListpack(make(), Limits(3, 64));
  EXPECT_EQ(fits->encoding(), CollectionEncoding::kListpack);
  EXPECT_EQ(fits->Size(), 3u);
  EXPECT_EQ(GetOr(*fits, "b"), "2");
  std::unique_ptr<HashValue> too_many = HashValue::FromListpack(make(), Limits(2, 64));
  EXPECT_EQ(too_many->encoding(), CollectionEncoding::kHashtable);
  EXPECT_EQ(Contents(*too_many), Contents(*fits));
  EXPECT_EQ(HashValue::FromListpack(make(), Limits(3, 0))->encoding(),
            CollectionEncoding::kHashtable);
}

TEST(HashValueTest, ListpackScanReturnsEverythingWithCursorZero) {
  auto hash_owner = Filled(10);
  HashValue& hash = *hash_owner;
  Pairs seen;
  EXPECT_EQ(hash.Scan(12345, [&](std::string_view f, std::string_view v) { seen.emplace(f, v); }),
            0u);
  EXPECT_EQ(seen, Contents(hash));
}

TEST(HashValueTest, TableScanVisitsEveryFieldAcrossCalls) {
  auto hash_owner = Filled(300, Limits(0, 64));
  HashValue& hash = *hash_owner;
  Pairs seen;
  uint64_t cursor = 0;
  size_t calls = 0;
  do {
    cursor = hash.Scan(cursor, [&](std::string_view f, std::string_view v) { seen.emplace(f, v); });
    ++calls;
  } while (cursor != 0);
  EXPECT_GT(calls, 1u);
  EXPECT_EQ(seen, Contents(hash));
}

TEST(HashValueTest, RandomPicksReachEveryFieldInBothEncodings) {
  for (int64_t entries : {int64_t{512}, int64_t{0}}) {
    auto hash_owner = Filled(5, Limits(entries, 64));
    HashValue& hash = *hash_owner;
    std::mt19937_64 rng(7);
    std::set<std::string> fields;
    for (int i = 0; i < 500; ++i) {
      NumberBuffer a;
      NumberBuffer b;
      auto [field, value] = hash.Random(rng, a, b);
      EXPECT_EQ(GetOr(hash, field), std::string(value));
      fields.emplace(field);
    }
    EXPECT_EQ(fields.size(), 5u);

    std::map<std::string, int> counts;
    hash.RandomPairs(rng, 500, [&](std::string_view f, std::string_view v) {
      EXPECT_EQ(GetOr(hash, f), std::string(v));
      ++counts[std::string(f)];
    });
    EXPECT_EQ(counts.size(), 5u);
  }
}

TEST(HashValueTest, DistinctRandomPairsAreDistinctInBothEncodingsAndStrategies) {
  for (int64_t entries : {int64_t{512}, int64_t{0}}) {
    auto hash_owner = Filled(100, Limits(entries, 64));
    HashValue& hash = *hash_owner;
    std::mt19937_64 rng(11);
    for (size_t count : {size_t{1}, size_t{10}, size_t{50}, size_t{99}, size_t{100}}) {
      std::set<std::string> fields;
      size_t calls = 0;
      hash.DistinctRandomPairs(rng, count, [&](std::string_view f, std::string_view v) {
        EXPECT_EQ(GetOr(hash, f), std::string(v));
        fields.emplace(f);
        ++calls;
      });
      EXPECT_EQ(calls, count);
      EXPECT_EQ(fields.size(), count);
    }
  }
}

// Random sets and deletes against a std::map, under limits small enough that the hash
// converts midway and table values grow and shrink (node reallocation and relinking).
TEST(HashValueTest, RandomOperationsMatchAMap) {
  const EncodingLimits limits = Limits(8, 6);
  std::mt19937_64 rng(42);
  for (int round = 0; round < 4; ++round) {
    HashValue hash;
    Pairs model;
    for (int op = 0; op < 3000; ++op) {
      const std::string field = "f" + std::to_string(rng() % 40);
      if (rng() % 3 == 0) {
        EXPECT_EQ(hash.Delete(field), model.erase(field) == 1);
      } else {
        const size_t length = rng() % 12;
        std::string value = rng() % 2 == 0 ? std::to_string(rng() % 100000)
                                           : std::string(length, static_cast<char>('a' + op % 26));
        EXPECT_EQ(hash.Set(field, value, limits), !model.contains(field));
        model[field] = value;
      }
      ASSERT_EQ(hash.Size(), model.size());
      EXPECT_EQ(GetOr(hash, field), model.contains(field) ? model[field] : "<none>");
    }
    EXPECT_EQ(Contents(hash), model);
  }
}

TEST(HashValueTest, ListpackAccessorExposesThePairs) {
  HashValue hash;
  hash.Set("f", "v", kDefault);
  EXPECT_EQ(hash.ToListpack().size(), 2u);
}

}  // namespace
}  // namespace ember::storage
