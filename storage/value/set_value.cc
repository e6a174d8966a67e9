#include "storage/value/set_value.h"

#include <cassert>
#include <optional>
#include <utility>

#include "storage/value/number_format.h"
#include "storage/value/set_member_table.h"

namespace ember::storage {
namespace {

// Redis caps set-max-intset-entries at 2^30 for the intset's sake (setTypeAdd).
constexpr int64_t kIntsetEntriesCap = int64_t{1} << 30;

bool OverIntsetLimit(size_t size, const EncodingLimits& limits) {
  const int64_t max_entries = limits.set_max_intset_entries < kIntsetEntriesCap
                                  ? limits.set_max_intset_entries
                                  : kIntsetEntriesCap;
  return static_cast<int64_t>(size) > max_entries;
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

SetValue SetValue::Borrow(std::string_view packed) { return SetValue(Intset::Borrow(packed)); }

std::unique_ptr<SetValue> SetValue::FromPacked(std::string_view packed) {
  auto set = std::make_unique<SetValue>();
  set->LoadPacked(packed);
  return set;
}

void SetValue::LoadPacked(std::string_view packed) {
  assert(encoding() == CollectionEncoding::kIntset);
  RemoveHeapBytes(members_.HeapBytes());
  members_.Assign(packed);
  AddHeapBytes(members_.HeapBytes());
}

std::optional<std::string_view> SetValue::PackedBytes() const {
  if (encoding() != CollectionEncoding::kIntset) return std::nullopt;
  return members_.bytes();
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
  copy->ConvertToTable();
  ForEach([&copy](std::string_view member) { copy->InsertIntoTable(member); });
  return copy;
}

size_t SetValue::Size() const {
  return encoding() == CollectionEncoding::kIntset ? members_.size() : table_->table.size();
}

bool SetValue::Contains(std::string_view member) const {
  if (encoding() == CollectionEncoding::kIntset) {
    std::optional<int64_t> value = ParseInt64(member);
    return value.has_value() && members_.Contains(*value);
  }
  return table_->table.Lookup(member) != nullptr;
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
  if (encoding() == CollectionEncoding::kIntset) {
    NumberBuffer scratch;
    for (size_t i = 0; i < members_.size(); ++i) {
      const size_t length = FormatInt64(members_.At(i), scratch.data);
      fn(std::string_view(scratch.data, length));
    }
    return;
  }
  table_->table.ForEach([&fn](SetMemberNode* node) { fn(MemberOf(node)); });
}

uint64_t SetValue::Scan(uint64_t cursor, const MemberFn& fn) const {
  if (encoding() == CollectionEncoding::kIntset) {
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

void SetValue::ConvertToTable() {
  if (encoding() == CollectionEncoding::kHashtable) return;
  Intset members = std::exchange(members_, Intset());
  RemoveChunk(members.bytes().size());
  AddChunk(members_.bytes().size());
  table_ = std::make_unique<SetMemberTable>();
  AddChunk(sizeof(SetMemberTable));
  set_encoding(CollectionEncoding::kHashtable);
  NumberBuffer scratch;
  for (size_t i = 0; i < members.size(); ++i) {
    const size_t length = FormatInt64(members.At(i), scratch.data);
    InsertIntoTable(std::string_view(scratch.data, length));
  }
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
