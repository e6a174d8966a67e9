#include "storage/value/set_value.h"

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "storage/value/number_format.h"
#include "storage/value/set_member_table.h"

namespace ember::storage {
namespace {

// Redis caps set-max-intset-entries at 2^30 for the intset's sake (setTypeAdd).
constexpr int64_t kIntsetEntriesCap = int64_t{1} << 30;
// Room a member list loaded into a reused object keeps for the next few members.
constexpr size_t kListEditRoom = 32;

bool OverIntsetLimit(size_t size, const EncodingLimits& limits) {
  const int64_t max_entries = limits.set_max_intset_entries < kIntsetEntriesCap
                                  ? limits.set_max_intset_entries
                                  : kIntsetEntriesCap;
  return static_cast<int64_t>(size) > max_entries;
}

// Whether packed set bytes are an intset's rather than a member list's. An intset starts
// with its width as a little-endian uint32 (2, 4 or 8), so bytes 1 and 2 are zero, and it
// has at least 8 bytes. A member list starts with its count as a varint (1..128: one byte,
// or 0x80 0x01), then its entries; byte 1 can be zero only as the first entry's whole
// encoding when that member is "0" (the integer 0 in 0xxxxxxx), and then byte 2 is either
// past the end (one member) or the second entry's first byte, which is not zero again
// because members are distinct.
bool HoldsIntset(std::string_view packed) {
  return packed.size() >= 8 && packed[1] == 0 && packed[2] == 0;
}

}  // namespace

SetValue::SetValue() : Collection(kType, CollectionEncoding::kIntset, sizeof(SetValue)) {
  AddChunk(members_.bytes().size());
}

SetValue::~SetValue() = default;
SetValue::SetValue(SetValue&& other) noexcept = default;

SetValue::SetValue(Intset members)
    : Collection(kType, CollectionEncoding::kIntset, sizeof(SetValue)),
      members_(std::move(members)) {}

SetValue::SetValue(PackedList members)
    : Collection(kType, CollectionEncoding::kHashtable, sizeof(SetValue)),
      list_(std::move(members)) {}

SetValue SetValue::Borrow(std::string_view packed) {
  if (HoldsIntset(packed)) return SetValue(Intset::Borrow(packed));
  return SetValue(PackedList::Borrow(packed));
}

std::unique_ptr<SetValue> SetValue::FromPacked(std::string_view packed) {
  auto set = std::make_unique<SetValue>();
  set->LoadPacked(packed);
  return set;
}

void SetValue::LoadPacked(std::string_view packed) {
  assert(PackedBytes().has_value());
  if (HoldsIntset(packed)) {
    EditList([&] { list_ = PackedList(); });
    RemoveHeapBytes(members_.HeapBytes());
    members_.Assign(packed);
    AddHeapBytes(members_.HeapBytes());
    set_encoding(CollectionEncoding::kIntset);
    return;
  }
  if (members_.size() > 0) {  // a spare that held an intset keeps none of it
    RemoveChunk(members_.bytes().size());
    members_ = Intset();
    AddChunk(members_.bytes().size());
  }
  EditList([&] { list_.Assign(packed, kListEditRoom); });
  set_encoding(CollectionEncoding::kHashtable);
}

std::optional<std::string_view> SetValue::PackedBytes() const {
  if (encoding() == CollectionEncoding::kIntset) return members_.bytes();
  if (is_member_list()) return list_.bytes();
  return std::nullopt;
}

std::unique_ptr<SetValue> SetValue::FromIntset(Intset members, const EncodingLimits& limits) {
  auto set = std::make_unique<SetValue>();
  set->RemoveChunk(set->members_.bytes().size());
  set->members_ = std::move(members);
  set->AddChunk(set->members_.bytes().size());
  if (OverIntsetLimit(set->members_.size(), limits)) set->ConvertToTable();
  return set;
}

std::unique_ptr<Collection> SetValue::Clone() const {
  auto copy = std::make_unique<SetValue>();
  if (encoding() == CollectionEncoding::kIntset) {
    copy->RemoveChunk(copy->members_.bytes().size());
    copy->members_ = members_.Clone();
    copy->AddChunk(copy->members_.bytes().size());
    return copy;
  }
  if (is_member_list()) {
    copy->EditList([&] { copy->list_ = list_.Clone(); });
    copy->set_encoding(CollectionEncoding::kHashtable);
    return copy;
  }
  copy->ConvertToTable();
  ForEach([&copy](std::string_view member) { copy->InsertIntoTable(member); });
  return copy;
}

size_t SetValue::Size() const {
  if (encoding() == CollectionEncoding::kIntset) return members_.size();
  return table_ ? table_->table.size() : list_.size();
}

bool SetValue::Contains(std::string_view member) const {
  if (encoding() == CollectionEncoding::kIntset) {
    std::optional<int64_t> value = ParseInt64(member);
    return value.has_value() && members_.Contains(*value);
  }
  if (!table_) return list_.Find(member, list_.First(), 0) != PackedList::kNoEntry;
  return table_->table.Lookup(member) != nullptr;
}

template <typename Fn>
void SetValue::EditList(Fn&& fn) {
  RemoveHeapBytes(list_.HeapBytes());
  fn();
  AddHeapBytes(list_.HeapBytes());
}

bool SetValue::ListTakes(std::string_view member) const {
  return list_.size() < kMaxListMembers && member.size() <= kMaxListMemberBytes &&
         list_.SafeToAdd(member.size() + 9);  // an entry's encoding takes at most 9 bytes
}

bool SetValue::Add(std::string_view member, const EncodingLimits& limits) {
  if (encoding() == CollectionEncoding::kIntset) {
    std::optional<int64_t> value = ParseInt64(member);
    if (value.has_value()) {
      if (members_.Contains(*value)) return false;
      RemoveChunk(members_.bytes().size());
      members_.Add(*value);
      AddChunk(members_.bytes().size());
      if (OverIntsetLimit(members_.size(), limits)) ConvertToTable();
      return true;
    }
    // Every intset member fits a list's member limit (at most 20 characters).
    if (members_.size() < kMaxListMembers && member.size() <= kMaxListMemberBytes) {
      ConvertToList();
    } else {
      ConvertToTable();
    }
  }
  if (!table_) {
    if (list_.Find(member, list_.First(), 0) != PackedList::kNoEntry) return false;
    if (ListTakes(member)) {
      EditList([&] { list_.Append(member); });
      return true;
    }
    ConvertToTable();
  }
  return InsertIntoTable(member);
}

bool SetValue::Remove(std::string_view member) {
  if (encoding() == CollectionEncoding::kIntset) {
    std::optional<int64_t> value = ParseInt64(member);
    if (!value.has_value() || !members_.Contains(*value)) return false;
    RemoveChunk(members_.bytes().size());
    members_.Remove(*value);
    AddChunk(members_.bytes().size());
    return true;
  }
  if (!table_) {
    const size_t offset = list_.Find(member, list_.First(), 0);
    if (offset == PackedList::kNoEntry) return false;
    EditList([&] { list_.Delete(offset, 1); });
    return true;
  }
  SetMemberNode* node = table_->table.Unlink(member);
  // Redis's setTypeRemove shrinks a sparse table at once (dictResize) rather than in cron.
  if (node != nullptr) table_->table.ShrinkIfSparse();
  SyncBucketChunks();
  if (node == nullptr) return false;
  RemoveChunk(NodeRequest(member));
  FreeMemberNode(node);
  return true;
}

void SetValue::ForEach(const MemberFn& fn) const {
  NumberBuffer scratch;
  if (encoding() == CollectionEncoding::kIntset) {
    for (size_t i = 0; i < members_.size(); ++i) {
      const size_t length = FormatInt64(members_.At(i), scratch.data);
      fn(std::string_view(scratch.data, length));
    }
    return;
  }
  if (!table_) {
    for (size_t at = list_.First(); at != PackedList::kNoEntry; at = list_.Next(at)) {
      fn(list_.Get(at).View(scratch));
    }
    return;
  }
  table_->table.ForEach([&fn](SetMemberNode* node) { fn(MemberOf(node)); });
}

uint64_t SetValue::Scan(uint64_t cursor, const MemberFn& fn) const {
  if (table_ == nullptr) {
    ForEach(fn);
    return 0;
  }
  return table_->table.Scan(cursor, [&fn](SetMemberNode* node) { fn(MemberOf(node)); });
}

std::string_view SetValue::Random(std::mt19937_64& rng, NumberBuffer& scratch) const {
  assert(Size() > 0);
  if (encoding() == CollectionEncoding::kIntset) {
    const size_t length = FormatInt64(members_.Random(rng), scratch.data);
    return {scratch.data, length};
  }
  if (!table_) {
    size_t skip = std::uniform_int_distribution<size_t>(0, list_.size() - 1)(rng);
    size_t at = list_.First();
    while (skip-- > 0) at = list_.Next(at);
    return list_.Get(at).View(scratch);
  }
  return MemberOf(table_->table.RandomNode(rng));
}

std::string SetValue::PopRandom(std::mt19937_64& rng) {
  NumberBuffer scratch;
  std::string member(Random(rng, scratch));
  Remove(member);
  return member;
}

const Intset& SetValue::intset() const {
  assert(encoding() == CollectionEncoding::kIntset);
  return members_;
}

void SetValue::ConvertToList() {
  assert(encoding() == CollectionEncoding::kIntset);
  Intset members = std::exchange(members_, Intset());
  RemoveChunk(members.bytes().size());
  AddChunk(members_.bytes().size());
  set_encoding(CollectionEncoding::kHashtable);
  NumberBuffer scratch;
  EditList([&] {
    for (size_t i = 0; i < members.size(); ++i) {
      list_.Append(std::string_view(scratch.data, FormatInt64(members.At(i), scratch.data)));
    }
  });
}

void SetValue::ConvertToTable() {
  if (table_) return;
  // The members move out of their form first: InsertIntoTable needs table_ in place.
  std::vector<std::string> moved;
  moved.reserve(Size());
  ForEach([&moved](std::string_view member) { moved.emplace_back(member); });
  RemoveChunk(members_.bytes().size());
  members_ = Intset();
  AddChunk(members_.bytes().size());
  EditList([&] { list_ = PackedList(); });
  table_ = std::make_unique<SetMemberTable>();
  AddChunk(sizeof(SetMemberTable));
  set_encoding(CollectionEncoding::kHashtable);
  for (const std::string& member : moved) InsertIntoTable(member);
}

bool SetValue::InsertIntoTable(std::string_view member) {
  if (table_->table.Find(member) != nullptr) {
    SyncBucketChunks();
    return false;
  }
  table_->table.Insert(NewMemberNode(member));
  AddChunk(NodeRequest(member));
  SyncBucketChunks();
  return true;
}

void SetValue::SyncBucketChunks() {
  const std::array<size_t, 2> now = table_->BucketArrays();
  std::array<size_t, 2>& accounted = table_->accounted_buckets;
  if (now == accounted) return;
  for (size_t count : accounted) {
    if (count != 0) RemoveChunk(count * sizeof(SetMemberNode*));
  }
  for (size_t count : now) {
    if (count != 0) AddChunk(count * sizeof(SetMemberNode*));
  }
  accounted = now;
}

}  // namespace ember::storage
