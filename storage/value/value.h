// Value: what a key maps to, tagged with its type: a string (a CompactString, inline, heap
// or integer-encoded) or a collection box. ValueRef: a read-only view of a value wherever it
// is kept (a Value, or the value slot of a stored entry, see entry.h, including a small
// collection packed into the slot, read through Read<T>()).
//
// Layout: 16 bytes, alignment 1, so an entry block can hold a Value at any offset. The last
// byte is CompactString's metadata byte (compact_string.h). A string keeps CompactString's
// encodings 0-2 there. A collection box marks it with the encoding CompactString never uses
// (3) and the ValueType in bits 2-7, and keeps the Collection* in bytes [0, 8); the box does
// not copy the encoding, which only the collection knows as it converts itself
// (collection.h). So strings stay exactly as compact as before there were other types.
//
// Relocation rule: a live Value may be moved by copying its 16 bytes (memcpy, realloc of the
// block holding it) and then used and destroyed at the new address only; the old bytes are
// dead, neither used nor destroyed. This holds because no Value points into itself: a heap
// string's block and a collection object live elsewhere, and a collection never points back
// at its Value. Entry blocks rely on it (Entry::SetExpireAt reallocates a block holding a
// boxed Value); keep it true for every new representation.
//
// Ownership: a Value owns its string block or its collection; movable, not copyable (copy
// with Clone()). A ValueRef is valid while the value it views is unchanged. Not thread-safe.
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>

#include "storage/value/collection.h"
#include "storage/value/collection_view.h"
#include "storage/value/compact_string.h"
#include "storage/value/value_type.h"

namespace ember::storage {

class Value;

class ValueRef {
 public:
  // Views of a string value that lives elsewhere (an entry's inline or integer slot).
  static ValueRef Integer(int64_t value);
  static ValueRef Bytes(std::string_view bytes);
  // A view of a small collection of `type` packed into an entry's slot: `bytes` are what its
  // Collection::PackedBytes() gave.
  static ValueRef Packed(ValueType type, std::string_view bytes);

  ValueType type() const { return type_; }
  bool is_string() const { return type_ == ValueType::kString; }

  // String access. Requires: is_string().
  bool is_integer() const { return is_integer_; }
  // Requires: is_integer().
  int64_t integer() const { return integer_; }
  // Requires: !is_integer().
  std::string_view bytes() const { return bytes_; }
  // Length of the string form (an integer's decimal digits).
  size_t size() const;
  // The bytes; an integer is rendered into `scratch` (see CompactString::View).
  std::string_view View(NumberBuffer& scratch) const;
  void AppendTo(std::string* out) const;

  // Collection access. Requires: !is_string().
  // Whether the collection is packed into its entry's slot (then collection() is refused).
  bool is_packed() const { return packed_; }
  CollectionEncoding encoding() const;
  // The boxed collection. Requires: !is_packed().
  const Collection& collection() const;
  // The collection as its concrete class, boxed or packed. Requires: type() == T::kType.
  template <class T>
  CollectionView<T> Read() const;

  // An owned deep copy with the same encoding (COPY).
  Value Clone() const;
  // Heap bytes the value owns in allocator chunks; 0 for strings kept in an entry's slot.
  size_t HeapBytes() const;

 private:
  friend class Value;

  std::string_view bytes_;
  int64_t integer_ = 0;
  const Value* value_ = nullptr;  // the Value viewed, when the view is of one
  ValueType type_ = ValueType::kString;
  bool is_integer_ = false;
  bool packed_ = false;  // a packed collection: bytes_ holds its bytes
};

class Value {
 public:
  // An empty string.
  Value() noexcept : str_() {}
  // A string value; canonical integers are stored as integers.
  static Value String(std::string_view bytes);
  static Value Integer(int64_t value);
  // A string value kept as bytes even when they spell an integer (APPEND's results).
  static Value Bytes(std::string_view bytes);
  // A value holding `collection`, of the collection's type. Requires: non-null.
  static Value Box(std::unique_ptr<Collection> collection);

  Value(Value&& other) noexcept;
  Value& operator=(Value&& other) noexcept;
  Value(const Value&) = delete;
  Value& operator=(const Value&) = delete;
  ~Value() { Destroy(); }

  ValueType type() const {
    const uint8_t meta = Meta();
    return IsBoxMeta(meta) ? static_cast<ValueType>(meta >> kTypeShift) : ValueType::kString;
  }
  bool is_string() const { return !IsBoxMeta(Meta()); }

  // Requires: is_string().
  const CompactString& str() const {
    assert(is_string());
    return str_;
  }
  CompactString& str() {
    assert(is_string());
    return str_;
  }

  // Requires: !is_string().
  const Collection& collection() const { return *BoxedCollection(); }
  Collection& collection() { return *BoxedCollection(); }
  // The collection as its concrete class. Requires: type() == T::kType and the collection
  // is a T (both asserted).
  template <class T>
  const T& As() const;
  template <class T>
  T& As();

  ValueRef Ref() const;
  // A deep copy with the same encoding.
  Value Clone() const;
  // Heap bytes owned, in allocator chunks (chunk_bytes.h): a long string's block, or every
  // block of a collection with the object itself. 0 for inline strings and integers. O(1).
  size_t HeapBytes() const;
  // A memory-latency hint: starts loading the start of what the value points to (a long
  // string's block, a collection's object). Changes nothing.
  void PrefetchPayload() const;

 private:
  static constexpr int kTypeShift = 2;
  // The box's bytes: the Collection* (read and written with memcpy, since the Value has
  // alignment 1), padding, and the metadata byte where CompactString keeps its own.
  struct BoxBytes {
    char collection[sizeof(Collection*)];
    char unused[CompactString::kMetaByte - sizeof(Collection*)];
    uint8_t meta;
  };
  static_assert(sizeof(BoxBytes) == sizeof(CompactString) && alignof(BoxBytes) == 1);
  static_assert(std::is_trivially_copyable_v<BoxBytes>);
  static_assert(kValueTypeCount <= (0xff >> kTypeShift), "the type must fit the meta byte");

  static bool IsBoxMeta(uint8_t meta) {
    return (meta & CompactString::kEncodingMask) == CompactString::kUnusedEncoding;
  }
  // The metadata byte, read as bytes whichever member is active.
  uint8_t Meta() const;
  Collection* BoxedCollection() const;
  // Ends the active member's lifetime, freeing what it owns; no member is active after.
  void Destroy();
  // Makes `other`'s representation this one's (no member may be active here) and leaves
  // `other` an empty string.
  void TakeFrom(Value& other);

  union {
    CompactString str_;
    BoxBytes box_;
  };
};

static_assert(sizeof(Value) == 16 && alignof(Value) == 1,
              "a Value costs 16 bytes and can be placed at any offset of an entry block");

template <class T>
const T& Value::As() const {
  static_assert(std::is_base_of_v<Collection, T>, "As<T> names a Collection subclass");
  assert(type() == T::kType);
  assert(dynamic_cast<const T*>(&collection()) != nullptr);
  return static_cast<const T&>(collection());
}

template <class T>
T& Value::As() {
  static_assert(std::is_base_of_v<Collection, T>, "As<T> names a Collection subclass");
  assert(type() == T::kType);
  assert(dynamic_cast<T*>(&collection()) != nullptr);
  return static_cast<T&>(collection());
}

template <class T>
CollectionView<T> ValueRef::Read() const {
  assert(type_ == T::kType);
  // Only types with a small form that packs (those with a Borrow) are ever packed.
  if constexpr (requires(std::string_view bytes) { T::Borrow(bytes); }) {
    if (packed_) return CollectionView<T>(T::Borrow(bytes_));
  }
  assert(!packed_);
  return CollectionView<T>(&value_->As<T>());
}

}  // namespace ember::storage
