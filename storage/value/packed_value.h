// The per-type side of packed collections (entry.h keeps a small hash, set or sorted set's
// Collection::PackedBytes() in its own block): what a packed value of a type turns back into,
// and the spare objects that make changing one cheap.
#pragma once

#include <array>
#include <string_view>

#include "storage/value/collection.h"
#include "storage/value/value.h"
#include "storage/value/value_type.h"

namespace ember::storage {

// The owning collection (boxed) that `bytes`, packed by a collection of `type`, stand for.
// Requires: a type that packs (hash, set, sorted set) and bytes it packed.
Value UnpackValue(ValueType type, std::string_view bytes);
// What OBJECT ENCODING says of the packed collection of `type` in `bytes`: "listpack" for
// a hash or a sorted set; "intset" or, for a member list, "hashtable" for a set
// (set_value.h).
CollectionEncoding PackedEncoding(ValueType type, std::string_view bytes);

// Spare unpacked objects, at most one per type, so that a change of a packed value (unpack,
// edit, pack back: ValueMutation) reuses an object and its block instead of allocating and
// freeing both every time. A spare's memory is outside used_memory (at most a few KiB per
// database; the packed form is what is stored). Not thread-safe.
class UnpackedSpares {
 public:
  // What UnpackValue(type, bytes) returns, built in the spare of `type` when there is one.
  Value Unpack(ValueType type, std::string_view bytes);
  // Like Unpack, for a change of the packed `size` bytes at `bytes`, writable within
  // `capacity` bytes (an entry's slot): a hash is attached to them and edits them in place
  // (HashValue::AttachPacked); a set or a sorted set is copied, as Unpack does. The slot must not
  // change or be freed while the result is attached: Release it first.
  Value Attach(ValueType type, char* bytes, size_t size, size_t capacity);
  // Ends an attachment Attach made, copying the bytes into the value's own block; a no-op
  // for any other value.
  static void Release(Value& value);
  // Whether `value` is attached (Attach) and still edits the slot's bytes in place.
  static bool Attached(const Value& value);
  // Keeps `value` as the spare of its type when it is a collection still in a packed form,
  // small, and there is no spare of that type yet; destroys it otherwise. An
  // attachment ends first (the slot keeps the bytes).
  void Recycle(Value value);

 private:
  std::array<Value, kValueTypeCount> spares_;  // an empty string where there is none
};

}  // namespace ember::storage
