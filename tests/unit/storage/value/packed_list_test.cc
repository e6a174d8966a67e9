#include "storage/value/packed_list.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "storage/value/chunk_bytes.h"
#include "storage/value/number_format.h"

namespace ember::storage {
namespace {

using Strings = std::vector<std::string>;

Strings Walk(const PackedList& list) {
  Strings out;
  for (size_t at = list.First(); at != PackedList::kNoEntry; at = list.Next(at)) {
    NumberBuffer scratch;
    out.emplace_back(list.Get(at).View(scratch));
  }
  return out;
}

PackedList Of(const Strings& values) {
  PackedList list;
  for (const std::string& v : values) list.Append(v);
  return list;
}

TEST(PackedListTest, AnEmptyListHasNoBlock) {
  PackedList list;
  EXPECT_TRUE(list.empty());
  EXPECT_EQ(list.bytes(), "");
  EXPECT_EQ(list.First(), PackedList::kNoEntry);
  EXPECT_EQ(list.HeapBytes(), 0u);
}

TEST(PackedListTest, EntriesAreAListpacksWithoutBacklens) {
  // "ab": a 6-bit string (0x82) and its bytes; 7: a 7-bit uint; 1000: a 13-bit int.
  const PackedList list = Of({"ab", "7", "1000"});
  EXPECT_EQ(list.bytes(), std::string("\x03\x82"
                                      "ab\x07\xc3\xe8",
                                      7));
  EXPECT_EQ(Walk(list), (Strings{"ab", "7", "1000"}));
  EXPECT_EQ(list.HeapBytes(), ChunkBytes(7));
}

TEST(PackedListTest, ToListpackIsWhatAListpackOfTheSameAppendsHolds) {
  const Strings values = {"field", "-5", std::string(70, 'x'), "123456789012", "", "0x10"};
  Listpack expected;
  for (const std::string& v : values) expected.Append(v);
  const PackedList list = Of(values);
  EXPECT_EQ(list.ToListpack().bytes(), expected.bytes());
  EXPECT_EQ(Walk(PackedList::FromListpack(expected)), values);
}

TEST(PackedListTest, TheCountHeaderWidensAndNarrowsAt128) {
  PackedList list;
  Strings values;
  for (int i = 0; i < 200; ++i) {
    values.push_back("v" + std::to_string(i));
    list.Append(values.back());
  }
  EXPECT_EQ(list.size(), 200u);
  EXPECT_EQ(list.First(), 2u);  // two varint bytes
  EXPECT_EQ(Walk(list), values);
  list.Delete(list.First(), 100);
  values.erase(values.begin(), values.begin() + 100);
  EXPECT_EQ(list.size(), 100u);
  EXPECT_EQ(list.First(), 1u);
  EXPECT_EQ(Walk(list), values);
}

TEST(PackedListTest, ReplaceFindAndDeleteKeepTheRestIntact) {
  PackedList list = Of({"f1", "v1", "f2", "v2", "f3", "v3"});
  const size_t f2 = list.Find("f2", list.First(), /*skip=*/1);
  ASSERT_NE(f2, PackedList::kNoEntry);
  list.Replace(list.Next(f2), std::string(100, 'y'));
  EXPECT_EQ(Walk(list), (Strings{"f1", "v1", "f2", std::string(100, 'y'), "f3", "v3"}));
  list.Replace(list.Next(f2), "42");
  EXPECT_EQ(Walk(list), (Strings{"f1", "v1", "f2", "42", "f3", "v3"}));
  // With skip 1 only fields are compared: a value equal to the needle is not found.
  EXPECT_EQ(list.Find("v1", list.First(), 1), PackedList::kNoEntry);
  EXPECT_EQ(list.Find("42", list.First(), 0), list.Next(f2));
  list.Delete(f2, 2);
  EXPECT_EQ(Walk(list), (Strings{"f1", "v1", "f3", "v3"}));
  list.Delete(list.First(), 10);  // fewer remain: deletes to the end
  EXPECT_TRUE(list.empty());
  EXPECT_EQ(list.HeapBytes(), 0u);
}

// Find's single-decode walk agrees with the listpack's on every encoding (short and long
// strings, small and large integers, negative ones) and on every-other-entry skipping.
TEST(PackedListTest, FindAgreesWithTheListpacksSearch) {
  const Strings values = {"f1",
                          "5",
                          std::string(70, 'L'),
                          "-3",
                          "127",
                          "128",
                          "f1",
                          "9223372036854775807",
                          std::string(5000, 'x'),
                          "",
                          "5",
                          "tail"};
  const PackedList list = Of(values);
  Listpack listpack;
  for (const std::string& v : values) listpack.Append(v);
  Strings probes = values;
  probes.insert(probes.end(), {"absent", "05", "6", std::string(70, 'M')});
  for (const std::string& probe : probes) {
    for (size_t skip : {0u, 1u}) {
      size_t at = list.Find(probe, list.First(), skip);
      size_t lp_at = listpack.Find(probe, listpack.First(), skip);
      // Compare positions by index: the two frame their entries differently.
      auto index = [](const auto& l, size_t offset) {
        int i = 0;
        for (size_t o = l.First(); o != offset; o = l.Next(o)) ++i;
        return offset == PackedList::kNoEntry ? -1 : i;
      };
      EXPECT_EQ(index(list, at), index(listpack, lp_at)) << probe.substr(0, 20) << " skip " << skip;
    }
  }
}

TEST(PackedListTest, AppendingItsOwnEntryCopiesItFirst) {
  PackedList list = Of({std::string(40, 'a')});
  NumberBuffer scratch;
  for (int i = 0; i < 20; ++i) list.Append(list.Get(list.First()).View(scratch));
  EXPECT_EQ(Walk(list), Strings(21, std::string(40, 'a')));
}

TEST(PackedListTest, BorrowReadsInPlaceAndCloneOwns) {
  const PackedList owner = Of({"a", "1", "b"});
  const PackedList view = PackedList::Borrow(owner.bytes());
  EXPECT_EQ(view.bytes().data(), owner.bytes().data());
  EXPECT_EQ(Walk(view), Walk(owner));
  EXPECT_EQ(view.HeapBytes(), 0u);
  const PackedList copy = view.Clone();
  EXPECT_NE(copy.bytes().data(), owner.bytes().data());
  EXPECT_EQ(copy.bytes(), owner.bytes());
  EXPECT_EQ(copy.HeapBytes(), ChunkBytes(owner.bytes().size()));
}

TEST(PackedListTest, AssignKeepsRoomForEditsAndReusesTheBlock) {
  const PackedList source = Of({"f1", "v1", "f2", "v2"});
  PackedList list;
  list.Assign(source.bytes(), 64);
  EXPECT_EQ(list.bytes(), source.bytes());
  EXPECT_EQ(list.size(), 4u);
  const size_t with_room = ChunkBytes(source.bytes().size() + 64);
  EXPECT_EQ(list.HeapBytes(), with_room);
  list.Append("f3");
  list.Append("v3");  // within the room: no growth
  EXPECT_EQ(list.HeapBytes(), with_room);
  list.Assign(Of({"x"}).bytes(), 64);  // smaller: the block is kept
  EXPECT_EQ(Walk(list), (Strings{"x"}));
  EXPECT_EQ(list.HeapBytes(), with_room);
  list.Assign("", 64);
  EXPECT_TRUE(list.empty());
  EXPECT_EQ(list.HeapBytes(), 0u);
}

TEST(PackedListTest, DeletesGiveBackSlackBeyondAQuarter) {
  Strings values;
  for (int i = 0; i < 50; ++i) values.push_back(std::string(30, static_cast<char>('a' + i % 26)));
  PackedList list = Of(values);
  const size_t full = list.bytes().size();
  EXPECT_EQ(list.HeapBytes(), ChunkBytes(full));
  list.Delete(list.First(), 40);
  EXPECT_EQ(list.size(), 10u);
  EXPECT_LE(list.HeapBytes(), ChunkBytes(list.bytes().size() + list.bytes().size() / 4 + 64));
  EXPECT_LT(list.HeapBytes(), ChunkBytes(full));
}

// An attached list edits a buffer it does not own, in place while the edits fit, and moves
// into a block of its own at the first that does not.
TEST(PackedListTest, AnAttachedListEditsItsBufferUntilItOutgrowsIt) {
  const PackedList source = Of({"f1", "v1"});
  std::string buffer(source.bytes());
  const size_t capacity = buffer.size() + 8;
  buffer.resize(capacity, '\0');
  PackedList list;
  list.Append("own block, freed by Attach");
  list.Attach(buffer.data(), source.bytes().size(), capacity);
  EXPECT_TRUE(list.attached());
  EXPECT_EQ(list.HeapBytes(), 0u);  // the buffer is someone else's
  EXPECT_EQ(Walk(list), (Strings{"f1", "v1"}));
  list.Append("f2");
  list.Append("v2");  // 6 of the 8 spare bytes
  EXPECT_TRUE(list.attached());
  EXPECT_EQ(list.bytes().data(), buffer.data());
  EXPECT_EQ(Walk(PackedList::Borrow({buffer.data(), list.bytes().size()})),
            (Strings{"f1", "v1", "f2", "v2"}));
  list.Append("a value that does not fit");
  EXPECT_FALSE(list.attached());
  EXPECT_NE(list.bytes().data(), buffer.data());
  EXPECT_EQ(Walk(list), (Strings{"f1", "v1", "f2", "v2", "a value that does not fit"}));
  EXPECT_EQ(list.HeapBytes(), ChunkBytes(list.bytes().size()));
}

TEST(PackedListTest, DetachLeavesTheBufferAndOwnBlockCopiesIt) {
  const PackedList source = Of({"a", "b", "c"});
  std::string buffer(source.bytes());
  PackedList list;
  list.Attach(buffer.data(), buffer.size(), buffer.size());
  list.Delete(list.First(), 1);  // a shrink in place: the capacity stays the buffer's
  EXPECT_TRUE(list.attached());
  list.OwnBlock();
  EXPECT_FALSE(list.attached());
  EXPECT_NE(list.bytes().data(), buffer.data());
  EXPECT_EQ(Walk(list), (Strings{"b", "c"}));
  EXPECT_EQ(list.HeapBytes(), ChunkBytes(list.bytes().size()));

  std::string other(source.bytes());
  PackedList attached;
  attached.Attach(other.data(), other.size(), other.size());
  attached.Detach();
  EXPECT_TRUE(attached.empty());
  EXPECT_EQ(attached.HeapBytes(), 0u);
  EXPECT_EQ(other, source.bytes());
}

// Inserting gives the same block as appending the same sequence: one encoding for each
// entry whatever the position, and the count header kept in step.
TEST(PackedListTest, InsertIntoAnEmptyListAddsTheOnlyEntry) {
  PackedList list;
  const size_t at = list.Insert(PackedList::kNoEntry, "only");
  EXPECT_EQ(at, list.First());
  EXPECT_EQ(at, 1u);
  EXPECT_EQ(list.size(), 1u);
  EXPECT_EQ(Walk(list), (Strings{"only"}));
  EXPECT_EQ(list.bytes(), Of({"only"}).bytes());
  EXPECT_EQ(list.HeapBytes(), ChunkBytes(list.bytes().size()));
}

TEST(PackedListTest, InsertAtTheFrontReturnsTheFirstOffset) {
  PackedList list = Of({"b", "c"});
  const size_t at = list.Insert(list.First(), "a");
  EXPECT_EQ(at, list.First());
  NumberBuffer scratch;
  EXPECT_EQ(list.Get(at).View(scratch), "a");
  EXPECT_EQ(Walk(list), (Strings{"a", "b", "c"}));
  EXPECT_EQ(list.bytes(), Of({"a", "b", "c"}).bytes());
}

TEST(PackedListTest, InsertInTheMiddleGoesBeforeTheGivenEntry) {
  PackedList list = Of({"a", "12", "c"});
  const size_t second = list.Next(list.First());
  const size_t at = list.Insert(second, "-7");  // an integer entry
  EXPECT_EQ(at, second);
  EXPECT_TRUE(list.Get(at).is_integer);
  EXPECT_EQ(list.Get(at).integer, -7);
  EXPECT_EQ(Walk(list), (Strings{"a", "-7", "12", "c"}));
  const size_t long_at = list.Insert(list.Next(at), std::string(100, 'L'));  // 2-byte head
  EXPECT_EQ(long_at, list.Next(at));
  EXPECT_EQ(Walk(list), (Strings{"a", "-7", std::string(100, 'L'), "12", "c"}));
  EXPECT_EQ(list.bytes(), Of({"a", "-7", std::string(100, 'L'), "12", "c"}).bytes());
  EXPECT_EQ(list.HeapBytes(), ChunkBytes(list.bytes().size()));
}

TEST(PackedListTest, InsertAtNoEntryAppends) {
  PackedList list = Of({"a", "b"});
  const size_t at = list.Insert(PackedList::kNoEntry, "z");
  EXPECT_EQ(list.Next(at), PackedList::kNoEntry);
  NumberBuffer scratch;
  EXPECT_EQ(list.Get(at).View(scratch), "z");
  EXPECT_EQ(list.bytes(), Of({"a", "b", "z"}).bytes());
}

TEST(PackedListTest, InsertingItsOwnEntryCopiesItFirst) {
  Strings expected = {std::string(50, 'a'), std::string(60, 'b')};
  PackedList list = Of(expected);
  for (int i = 0; i < 10; ++i) {
    // A view into the block, which the insert reallocates.
    const std::string_view second = list.Get(list.Next(list.First())).bytes;
    list.Insert(list.First(), second);
    expected.insert(expected.begin(), std::string(expected[1]));
  }
  EXPECT_EQ(Walk(list), expected);
}

// The 128th entry widens the count varint from one byte to two, moving every entry: the
// returned offset must be the new entry's after the move, wherever it goes.
TEST(PackedListTest, InsertThatWidensTheCountHeaderReturnsTheMovedOffset) {
  Strings base;
  for (int i = 0; i < 127; ++i) base.push_back("e" + std::to_string(i));
  for (const size_t position : {size_t{0}, size_t{1}, size_t{63}, size_t{126}, size_t{127}}) {
    PackedList list = Of(base);
    ASSERT_EQ(list.First(), 1u);
    size_t offset = list.First();
    for (size_t i = 0; i < position; ++i) offset = list.Next(offset);
    if (position == base.size()) {
      ASSERT_EQ(offset, PackedList::kNoEntry);
    }
    const size_t at = list.Insert(offset, "new");
    Strings expected = base;
    expected.insert(expected.begin() + static_cast<std::ptrdiff_t>(position), "new");
    EXPECT_EQ(list.size(), 128u);
    EXPECT_EQ(list.First(), 2u) << position;
    NumberBuffer scratch;
    EXPECT_EQ(list.Get(at).View(scratch), "new") << position;
    size_t expected_at = list.First();
    for (size_t i = 0; i < position; ++i) expected_at = list.Next(expected_at);
    EXPECT_EQ(at, expected_at) << position;
    EXPECT_EQ(Walk(list), expected) << position;
    EXPECT_EQ(list.bytes(), Of(expected).bytes()) << position;
    EXPECT_EQ(list.HeapBytes(), ChunkBytes(list.bytes().size())) << position;
  }
}

// The same at 16384 entries, where the varint goes from two bytes to three.
TEST(PackedListTest, InsertThatWidensTheCountHeaderToThreeBytesKeepsTheOrder) {
  Strings base;
  for (int i = 0; i < 16383; ++i) base.push_back(std::to_string(i % 300));
  PackedList list = Of(base);
  ASSERT_EQ(list.First(), 2u);
  size_t offset = list.First();
  for (int i = 0; i < 5000; ++i) offset = list.Next(offset);
  const size_t at = list.Insert(offset, "inserted");
  EXPECT_EQ(list.First(), 3u);
  NumberBuffer scratch;
  EXPECT_EQ(list.Get(at).View(scratch), "inserted");
  base.insert(base.begin() + 5000, "inserted");
  EXPECT_EQ(Walk(list), base);
}

}  // namespace
}  // namespace ember::storage
