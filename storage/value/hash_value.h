// HashValue: the value of a hash key, a map of distinct fields to values.
//
// Encodings, as Redis 7.0 names them for OBJECT ENCODING:
//   - kListpack: fields and values alternate in one PackedList block (packed_list.h: a
//     listpack's entries without its backlens), in insertion order. Used while the hash has
//     at most EncodingLimits::hash_max_listpack_entries fields and no field or value longer
//     than hash_max_listpack_value bytes. Lookups walk the block, which is fast at these sizes
//     and costs no per-field allocation. A small one lives in its entry's slot (PackedBytes,
//     collection.h); reads then see it through Borrow, without a copy.
//   - kHashtable: an incremental HashTable (hash_table.h) of field nodes, each node one
//     allocation holding the field and the value bytes (HashFieldTable, hash_field_table.h). A hash
//     converts to it when an insert crosses a limit (one way, as in Redis: it never converts back).
// The limits are passed in by the caller (Database::encoding_limits()), so a CONFIG SET
// applies to the next write.
//
// Views returned by reads (Get, ForEach, Random...) stay valid until the next change of the
// hash; integer entries of a listpack are rendered into the caller's NumberBuffer.
//
// Memory: every block (the object, the packed block, the bucket arrays, each node) is
// counted in heap_bytes() (collection.h) as it is allocated or freed.
//
// Relocation: never points back at its Value; the Listpack and the table own their blocks.
// Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string_view>
#include <utility>

#include "storage/value/collection.h"
#include "storage/value/compact_string.h"
#include "storage/value/encoding_limits.h"
#include "storage/value/listpack.h"
#include "storage/value/packed_list.h"

namespace ember::storage {

class HashFieldTable;  // the kHashtable form (hash_field_table.h)

class HashValue final : public Collection {
 public:
  static constexpr ValueType kType = ValueType::kHash;
  using FieldFn = std::function<void(std::string_view field, std::string_view value)>;

  // An empty hash in the listpack encoding.
  HashValue();
  ~HashValue() override;
  HashValue(HashValue&& other) noexcept;

  // A read-only hash viewing `packed`, the bytes PackedBytes() gave (an entry's slot); valid
  // while they are unchanged. Its heap_bytes() means nothing.
  static HashValue Borrow(std::string_view packed);
  // An owning hash holding a copy of `packed` (PackedBytes()'s bytes).
  static std::unique_ptr<HashValue> FromPacked(std::string_view packed);
  // Makes this owning listpack hash a copy of `packed`, as FromPacked would, reusing its
  // block (a spare object, packed_value.h), with room for a few more pairs.
  // Requires: encoding() == kListpack.
  void LoadPacked(std::string_view packed);
  // Makes this owning listpack hash edit `size` packed bytes at `buffer` (an entry's slot,
  // as PackedBytes() gave them) in place, within `capacity` bytes (PackedList::Attach): a
  // change that fits costs no copy. Requires: encoding() == kListpack; the buffer outlives
  // the attachment.
  void AttachPacked(char* buffer, size_t size, size_t capacity);
  // Whether PackedBytes() still views the buffer AttachPacked gave.
  bool attached() const { return pairs_.attached(); }
  // Ends an attachment: DetachPacked leaves the hash empty, OwnPackedBlock copies the bytes
  // into a block of the hash's own. No-ops when not attached.
  void DetachPacked() { pairs_.Detach(); }
  void OwnPackedBlock();

  // A hash adopting `pairs` (field, value, field, value...) as its listpack, converted to a
  // table at once when it exceeds `limits` (as Redis does when it loads a listpack).
  // Requires: an even number of entries and distinct fields (the RDB loader checks both).
  static std::unique_ptr<HashValue> FromListpack(Listpack pairs, const EncodingLimits& limits);

  [[nodiscard]] std::unique_ptr<Collection> Clone() const override;
  // Number of fields.
  size_t Size() const override;
  // The PackedList's bytes while the hash is a listpack; nullopt for a table.
  std::optional<std::string_view> PackedBytes() const override;

  // The value of `field`, nullopt when absent.
  std::optional<std::string_view> Get(std::string_view field, NumberBuffer& scratch) const;
  bool Contains(std::string_view field) const;
  // Length of the value of `field` (HSTRLEN), 0 when absent.
  size_t ValueLength(std::string_view field) const;

  // Sets `field` to `value`, converting to a table first when the new pair would cross
  // `limits`. Returns true when the field is new.
  bool Set(std::string_view field, std::string_view value, const EncodingLimits& limits);
  // Removes `field`; false when absent. An emptied hash is deleted by the ValueMutation.
  bool Delete(std::string_view field);

  // Calls fn for every field: insertion order for a listpack, table order for a table. fn
  // must not change the hash.
  void ForEach(const FieldFn& fn) const;
  // HSCAN: visits the fields of the buckets at `cursor` and returns the next cursor, 0 when
  // complete (HashTable::Scan's guarantees). A listpack hash is visited whole, returning 0,
  // as Redis does.
  uint64_t Scan(uint64_t cursor, const FieldFn& fn) const;
  // A randomly chosen field and its value (HRANDFIELD). Requires: Size() > 0.
  std::pair<std::string_view, std::string_view> Random(std::mt19937_64& rng,
                                                       NumberBuffer& field_scratch,
                                                       NumberBuffer& value_scratch) const;
  // HRANDFIELD with a negative count: calls fn `count` times, each time with a field chosen
  // at random independently (repeats possible). Requires: Size() > 0. Bounded extra memory
  // for a listpack (one offset per field), none for a table.
  void RandomPairs(std::mt19937_64& rng, size_t count, const FieldFn& fn) const;
  // HRANDFIELD with a positive count: calls fn for `count` distinct fields chosen at random,
  // in random order. Requires: count <= Size().
  void DistinctRandomPairs(std::mt19937_64& rng, size_t count, const FieldFn& fn) const;

  // The fields and values as the Redis listpack an RDB file or a DUMP stores.
  // Requires: encoding() == kListpack.
  Listpack ToListpack() const;
  // Moves every field into a table (what crossing a limit does). No-op for a table.
  void ConvertToTable();

 private:
  friend class HashFieldTable;  // accounts its blocks through AddChunk / RemoveChunk

  HashValue(const HashValue& other);
  void AdoptPairs(PackedList pairs);
  // Runs fn, which changes pairs_, re-accounting the listpack block around it.
  template <typename Fn>
  void EditListpack(Fn&& fn);
  // Offset of `field` in pairs_, kNoEntry when absent.
  size_t FindListpackField(std::string_view field) const;

  // Exactly one is in use, as encoding() says.
  PackedList pairs_;
  std::unique_ptr<HashFieldTable> table_;
};

}  // namespace ember::storage
