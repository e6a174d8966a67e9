#include "storage/value/zset_value.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "storage/value/chunk_bytes.h"
#include "storage/value/number_format.h"

namespace ember::storage {
namespace {

// Whether (score, member) orders after (other_score, other_member).
bool After(double score, std::string_view member, double other_score,
           std::string_view other_member) {
  if (score != other_score) return score > other_score;
  return member > other_member;
}

// Whether `member` lies below the lower lex bound (so before the range).
bool BelowMin(std::string_view member, const ZLexBound& min) {
  switch (min.kind) {
    case ZLexBound::Kind::kMinusInfinity:
      return false;
    case ZLexBound::Kind::kPlusInfinity:
      return true;
    case ZLexBound::Kind::kInclusive:
      return member < min.member;
    case ZLexBound::Kind::kExclusive:
      return member <= min.member;
  }
  return false;
}

// Whether `member` lies within the upper lex bound.
bool WithinMax(std::string_view member, const ZLexBound& max) {
  switch (max.kind) {
    case ZLexBound::Kind::kMinusInfinity:
      return false;
    case ZLexBound::Kind::kPlusInfinity:
      return true;
    case ZLexBound::Kind::kInclusive:
      return member <= max.member;
    case ZLexBound::Kind::kExclusive:
      return member < max.member;
  }
  return false;
}

}  // namespace

SortedSetValue::SortedSetValue(const EncodingLimits& limits, size_t first_member_bytes)
    : Collection(kType, CollectionEncoding::kListpack, sizeof(SortedSetValue)) {
  if (limits.zset_max_listpack_entries == 0 ||
      first_member_bytes > static_cast<size_t>(limits.zset_max_listpack_value)) {
    ConvertToIndex();
  }
}

SortedSetValue::~SortedSetValue() = default;
SortedSetValue::SortedSetValue(SortedSetValue&& other) noexcept = default;

SortedSetValue::SortedSetValue(PackedList pairs)
    : Collection(kType, CollectionEncoding::kListpack, sizeof(SortedSetValue)),
      packed_(std::move(pairs)) {}

SortedSetValue SortedSetValue::Borrow(std::string_view packed) {
  return SortedSetValue(PackedList::Borrow(packed));
}

std::unique_ptr<SortedSetValue> SortedSetValue::FromPacked(std::string_view packed) {
  auto set = std::make_unique<SortedSetValue>(EncodingLimits{});
  set->LoadPacked(packed);
  return set;
}

void SortedSetValue::LoadPacked(std::string_view packed) {
  // Room for a new pair of short entries, so the typical ZADD inserts without a realloc.
  constexpr size_t kEditRoom = 64;
  const size_t before = OwnedBytes();
  index_.reset();
  packed_.Assign(packed, kEditRoom);
  set_encoding(CollectionEncoding::kListpack);
  Reaccount(before);
}

std::optional<std::string_view> SortedSetValue::PackedBytes() const {
  if (index_) return std::nullopt;
  return packed_.bytes();
}

std::unique_ptr<SortedSetValue> SortedSetValue::FromListpack(const Listpack& pairs,
                                                             const EncodingLimits& limits) {
  auto set = std::make_unique<SortedSetValue>(EncodingLimits{});
  const size_t before = set->OwnedBytes();
  set->packed_ = PackedList::FromListpack(pairs);
  set->Reaccount(before);
  if (set->Size() > static_cast<size_t>(std::max<int64_t>(limits.zset_max_listpack_entries, 0))) {
    set->ConvertToIndex();
  }
  return set;
}

size_t SortedSetValue::OwnedBytes() const {
  return index_ ? ChunkBytes(sizeof(ZSetIndex)) + index_->heap_bytes() : packed_.HeapBytes();
}

void SortedSetValue::Reaccount(size_t before) {
  const size_t after = OwnedBytes();
  if (after > before) {
    AddHeapBytes(after - before);
  } else {
    RemoveHeapBytes(before - after);
  }
}

std::unique_ptr<Collection> SortedSetValue::Clone() const {
  EncodingLimits limits;
  auto copy = std::make_unique<SortedSetValue>(limits);
  const size_t before = copy->OwnedBytes();
  if (index_) {
    copy->index_ = index_->Clone();
    copy->set_encoding(CollectionEncoding::kSkiplist);
  } else {
    copy->packed_ = packed_.Clone();
  }
  copy->Reaccount(before);
  return copy;
}

size_t SortedSetValue::Size() const { return index_ ? index_->Size() : packed_.size() / 2; }

void SortedSetValue::ConvertToIndex() {
  if (index_) return;
  const size_t before = OwnedBytes();
  auto index = std::make_unique<ZSetIndex>();
  for (size_t offset = packed_.First(); offset != PackedList::kNoEntry;) {
    const size_t score_offset = packed_.Next(offset);
    NumberBuffer scratch;
    index->Insert(packed_.Get(offset).View(scratch), PackedScoreAt(score_offset));
    offset = packed_.Next(score_offset);
  }
  packed_ = PackedList();
  index_ = std::move(index);
  set_encoding(CollectionEncoding::kSkiplist);
  Reaccount(before);
}

SortedSetValue::AddResult SortedSetValue::Add(std::string_view member, double score,
                                              const EncodingLimits& limits) {
  const size_t before = OwnedBytes();
  AddResult result = AddResult::kAdded;
  if (index_) {
    result = index_->Add(member, score);
  } else if (const size_t found = PackedFind(member); found != PackedList::kNoEntry) {
    if (PackedScoreAt(packed_.Next(found)) == score) return AddResult::kUnchanged;
    const std::string kept(member);  // `member` may view the entry about to go
    packed_.Delete(found, 2);
    PackedInsert(kept, score);
    result = AddResult::kUpdated;
  } else if (Size() + 1 > static_cast<size_t>(limits.zset_max_listpack_entries) ||
             member.size() > static_cast<size_t>(limits.zset_max_listpack_value) ||
             !packed_.SafeToAdd(member.size() + 32)) {
    ConvertToIndex();  // accounts the change of form itself
    return Add(member, score, limits);
  } else {
    PackedInsert(member, score);
  }
  Reaccount(before);
  return result;
}

bool SortedSetValue::Erase(std::string_view member) {
  const size_t before = OwnedBytes();
  bool erased = false;
  if (index_) {
    erased = index_->Erase(member);
  } else if (const size_t found = PackedFind(member); found != PackedList::kNoEntry) {
    packed_.Delete(found, 2);
    erased = true;
  }
  Reaccount(before);
  return erased;
}

size_t SortedSetValue::EraseRankRange(size_t start, size_t stop) {
  const size_t before = OwnedBytes();
  size_t erased = stop - start + 1;
  if (index_) {
    erased = index_->EraseRankRange(start, stop);
  } else {
    size_t offset = packed_.First();
    for (size_t rank = 0; rank < start; ++rank) offset = packed_.Next(packed_.Next(offset));
    packed_.Delete(offset, 2 * erased);
  }
  Reaccount(before);
  return erased;
}

std::optional<double> SortedSetValue::Score(std::string_view member) const {
  if (index_) return index_->Find(member);
  const size_t found = PackedFind(member);
  if (found == PackedList::kNoEntry) return std::nullopt;
  return PackedScoreAt(packed_.Next(found));
}

uint64_t SortedSetValue::Scan(
    uint64_t cursor, const std::function<void(std::string_view, std::string_view)>& fn) const {
  if (index_) {
    return index_->Scan(cursor, [&fn](std::string_view member, double score) {
      fn(member, FormatDoubleExact(score));
    });
  }
  for (size_t offset = packed_.First(); offset != PackedList::kNoEntry;) {
    const size_t score_offset = packed_.Next(offset);
    NumberBuffer member_scratch;
    NumberBuffer score_scratch;
    fn(packed_.Get(offset).View(member_scratch), packed_.Get(score_offset).View(score_scratch));
    offset = packed_.Next(score_offset);
  }
  return 0;
}

std::optional<size_t> SortedSetValue::Rank(std::string_view member) const {
  if (index_) return index_->Rank(member);
  size_t rank = 0;
  for (size_t offset = packed_.First(); offset != PackedList::kNoEntry; ++rank) {
    if (packed_.Get(offset).Equals(member)) return rank;
    offset = packed_.Next(packed_.Next(offset));
  }
  return std::nullopt;
}

ZSetEntry SortedSetValue::AtRank(size_t rank, NumberBuffer& scratch) const {
  if (index_) return index_->AtRank(rank);
  size_t offset = packed_.First();
  for (size_t i = 0; i < rank; ++i) offset = packed_.Next(packed_.Next(offset));
  return {packed_.Get(offset).View(scratch), PackedScoreAt(packed_.Next(offset))};
}

ZRankRange SortedSetValue::ScoreRange(ZScoreBound min, ZScoreBound max) const {
  if (index_) return index_->ScoreRange(min, max);
  size_t first = 0;
  size_t end = 0;
  size_t rank = 0;
  for (size_t offset = packed_.First(); offset != PackedList::kNoEntry; ++rank) {
    const size_t score_offset = packed_.Next(offset);
    const double score = PackedScoreAt(score_offset);
    if (min.exclusive ? score <= min.value : score < min.value) first = rank + 1;
    if (max.exclusive ? score < max.value : score <= max.value) end = rank + 1;
    offset = packed_.Next(score_offset);
  }
  return {first, end < first ? first : end};
}

ZRankRange SortedSetValue::LexRange(ZLexBound min, ZLexBound max) const {
  if (index_) return index_->LexRange(min, max);
  size_t first = 0;
  size_t end = 0;
  size_t rank = 0;
  for (size_t offset = packed_.First(); offset != PackedList::kNoEntry; ++rank) {
    NumberBuffer scratch;
    const std::string_view member = packed_.Get(offset).View(scratch);
    if (BelowMin(member, min)) first = rank + 1;
    if (WithinMax(member, max)) end = rank + 1;
    offset = packed_.Next(packed_.Next(offset));
  }
  return {first, end < first ? first : end};
}

double SortedSetValue::PackedScoreAt(size_t score_offset) const {
  const PackedList::Element element = packed_.Get(score_offset);
  if (element.is_integer) return static_cast<double>(element.integer);
  // Written by FormatScore: "inf", "-inf" or "%.17g", all strtod reads exactly (an RDB
  // load may also bring Redis's own texts, which the loader checked strtod reads whole).
  char text[64];
  const size_t size = std::min(element.bytes.size(), sizeof(text) - 1);
  std::memcpy(text, element.bytes.data(), size);
  text[size] = '\0';
  return std::strtod(text, nullptr);
}

size_t SortedSetValue::PackedFind(std::string_view member) const {
  for (size_t offset = packed_.First(); offset != PackedList::kNoEntry;) {
    if (packed_.Get(offset).Equals(member)) return offset;
    offset = packed_.Next(packed_.Next(offset));
  }
  return PackedList::kNoEntry;
}

void SortedSetValue::PackedInsert(std::string_view member, double score) {
  size_t at = PackedList::kNoEntry;
  for (size_t offset = packed_.First(); offset != PackedList::kNoEntry;) {
    const size_t score_offset = packed_.Next(offset);
    NumberBuffer scratch;
    if (After(PackedScoreAt(score_offset), packed_.Get(offset).View(scratch), score, member)) {
      at = offset;
      break;
    }
    offset = packed_.Next(score_offset);
  }
  const size_t member_offset = packed_.Insert(at, member);
  // FormatScore writes -0.0 as 0, as Redis's listpack keeps it (the index keeps its sign,
  // as the skiplist does).
  packed_.Insert(packed_.Next(member_offset), FormatScore(score));
}

}  // namespace ember::storage
