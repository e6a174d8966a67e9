// SortedSetValue: the value of a sorted-set key, distinct members each with a double score,
// ordered by (score, member bytes).
//
// Forms, and what OBJECT ENCODING reports for them (Redis 7.0's words):
//   - packed: at most EncodingLimits::zset_max_listpack_entries members of at most
//     zset_max_listpack_value bytes, kept in one PackedList block (packed_list.h) as
//     member, score, member, score... in order, each score written as Redis's d2string
//     writes it (FormatScore), so the block is the listpack Redis keeps, entry for entry,
//     and an RDB save writes it as is (ToListpack). Lookups walk it: at these sizes cheaper
//     than a table. Reported "listpack". A small one lives in its entry's slot
//     (PackedBytes, collection.h; entry.h): reads see it through Borrow, without a copy,
//     and a change unpacks it into an object and packs it back (ValueMutation).
//   - index: a ZSetIndex (zset_index.h), member map plus order-statistic B+-tree, about 51
//     bytes per 16-byte member where Redis's skiplist + dict pays ~110. Reported "skiplist".
// A new set is packed unless its first member already breaks the limits; adding past the
// limits converts it to the index, once: a set that shrinks back stays an index, as in
// Redis (conversions back happen only where Redis does them, by the caller).
//
// Ranks are 0-based in ascending order. Member views returned by reads stay valid until
// the next change; a packed integer member is rendered into the caller's NumberBuffer.
//
// Memory: every block is counted in heap_bytes() (collection.h). Relocation: never points
// back at its Value. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/value/collection.h"
#include "storage/value/compact_string.h"
#include "storage/value/encoding_limits.h"
#include "storage/value/packed_list.h"
#include "storage/value/zset_index.h"

namespace ember::storage {

class SortedSetValue final : public Collection {
 public:
  static constexpr ValueType kType = ValueType::kZSet;
  using AddResult = ZSetIndex::AddResult;

  // An empty set, packed unless `first_member_bytes` (the length of the first member to
  // come) already exceeds the limits, as Redis's ZADD creates it.
  explicit SortedSetValue(const EncodingLimits& limits, size_t first_member_bytes = 0);
  ~SortedSetValue() override;
  SortedSetValue(SortedSetValue&& other) noexcept;
  // A read-only packed set viewing `packed`, the bytes PackedBytes() gave (an entry's slot);
  // valid while they are unchanged.
  static SortedSetValue Borrow(std::string_view packed);
  // An owning packed set holding a copy of `packed` (PackedBytes()'s bytes).
  static std::unique_ptr<SortedSetValue> FromPacked(std::string_view packed);
  // Makes this owning set a packed copy of `packed`, as FromPacked would, reusing its
  // block when it can (a spare object, packed_value.h).
  void LoadPacked(std::string_view packed);
  // The PackedList's bytes while the set is packed; nullopt for the index form.
  std::optional<std::string_view> PackedBytes() const override;
  // A set holding the member, score pairs of `pairs` (a listpack as Redis keeps a small
  // sorted set; an RDB load's), adopted entry for entry as the packed form, then converted
  // to the index when it holds more than limits.zset_max_listpack_entries members (Redis
  // converts a loaded listpack by count alone). Scores are kept as written, which Redis's
  // d2string always is for a set Redis saved.
  // Requires: an even number of entries, distinct members, ordered by (score, member), each
  // score an integer entry or text strtod reads whole, none NaN (the loader checks them).
  static std::unique_ptr<SortedSetValue> FromListpack(const Listpack& pairs,
                                                      const EncodingLimits& limits);
  [[nodiscard]] std::unique_ptr<Collection> Clone() const override;
  size_t Size() const override;
  bool packed() const { return index_ == nullptr; }

  // Adds `member` with `score`, or sets the score of an existing one; converts to the index
  // when the packed form would break the limits. Requires: score is not NaN.
  AddResult Add(std::string_view member, double score, const EncodingLimits& limits);
  // Removes `member`; false when absent.
  bool Erase(std::string_view member);
  // Removes ascending ranks start..stop; returns how many. Requires: start <= stop < Size().
  size_t EraseRankRange(size_t start, size_t stop);

  std::optional<double> Score(std::string_view member) const;
  std::optional<size_t> Rank(std::string_view member) const;
  // The entry at `rank`. Requires: rank < Size().
  ZSetEntry AtRank(size_t rank, NumberBuffer& scratch) const;
  // Calls fn(member, score) for ranks start..stop, ascending from start or descending from
  // stop, until fn returns false. Requires: start <= stop < Size(); fn changes nothing.
  template <typename Fn>
  void Visit(size_t start, size_t stop, ZOrder order, Fn&& fn) const;
  // The ranks with scores within the bounds (ZCOUNT, ZRANGEBYSCORE).
  ZRankRange ScoreRange(ZScoreBound min, ZScoreBound max) const;
  // The ranks with members within the bounds; meaningful when all scores are equal.
  ZRankRange LexRange(ZLexBound min, ZLexBound max) const;

  // ZSCAN: calls fn(member, score text) for one step of the scan from `cursor` and returns
  // the next cursor, 0 when complete. The packed form is visited whole in one step, each
  // score as stored (Redis replies a listpack's entries as they are); the index form steps
  // through its member map (ZSetIndex::Scan), each score as "%.17g" (FormatDoubleExact).
  uint64_t Scan(uint64_t cursor,
                const std::function<void(std::string_view, std::string_view)>& fn) const;

  // The packed form's block (RDB save, DUMP); null for the index form.
  const PackedList* packed_list() const { return index_ ? nullptr : &packed_; }
  // Converts to the index form now (RDB load of a large set, or a caller that knows the
  // set will grow).
  void ConvertToIndex();

 private:
  // Packed-form helpers. Each pair is (member offset, score offset).
  double PackedScoreAt(size_t score_offset) const;
  // The member offset of `member`, kNoEntry when absent.
  size_t PackedFind(std::string_view member) const;
  // Inserts keeping the order. Requires: member absent.
  void PackedInsert(std::string_view member, double score);
  // A packed set over `pairs` as they are, with nothing accounted (Borrow).
  explicit SortedSetValue(PackedList pairs);
  // What the current form owns, in chunks; Reaccount(before) applies the change since.
  size_t OwnedBytes() const;
  void Reaccount(size_t before);

  PackedList packed_;                 // the packed form's pairs; empty in the index form
  std::unique_ptr<ZSetIndex> index_;  // the index form; null while packed
};

template <typename Fn>
void SortedSetValue::Visit(size_t start, size_t stop, ZOrder order, Fn&& fn) const {
  if (index_) return index_->Visit(start, stop, order, std::forward<Fn>(fn));
  // Packed: forward-only, so a descending walk collects the member offsets first.
  std::vector<size_t> descending;
  size_t offset = packed_.First();
  for (size_t rank = 0; rank <= stop && offset != PackedList::kNoEntry; ++rank) {
    const size_t score_offset = packed_.Next(offset);
    if (rank >= start) {
      if (order == ZOrder::kAscending) {
        NumberBuffer scratch;
        if (!fn(packed_.Get(offset).View(scratch), PackedScoreAt(score_offset))) return;
      } else {
        descending.push_back(offset);
      }
    }
    offset = packed_.Next(score_offset);
  }
  for (auto it = descending.rbegin(); it != descending.rend(); ++it) {
    NumberBuffer scratch;
    if (!fn(packed_.Get(*it).View(scratch), PackedScoreAt(packed_.Next(*it)))) return;
  }
}

}  // namespace ember::storage
