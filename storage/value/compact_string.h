// CompactString: a 16-byte, binary-safe string that keeps up to 15 bytes inline, longer
// strings in one heap block, and (for values) canonical integers as a 64-bit integer.
//
// It holds a Value's string while the value is in hand (and long values stored in an
// entry, see entry.h). The last byte is metadata: the encoding in bits 0-1 and the inline
// length in bits 2-5. A CompactString only ever uses encodings 0 to 2; Value (value.h)
// keeps either a CompactString or a collection box in the same 16 bytes and marks a box
// with the unused encoding 3 (kUnusedEncoding) in this same byte.
//
// Ownership: a CompactString owns its heap block; it is movable, not copyable (use
// Clone()). Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ember::storage {

// Scratch space for rendering an integer-encoded string ("-9223372036854775808").
struct NumberBuffer {
  char data[24];
};

class CompactString {
 public:
  enum class Encoding : uint8_t { kInline, kHeap, kInteger };
  static constexpr size_t kInlineCapacity = 15;
  // Where the metadata byte sits, which of its bits hold the encoding, and the encoding
  // value no CompactString uses (Value's collection box claims it).
  static constexpr size_t kMetaByte = 15;
  static constexpr uint8_t kEncodingMask = 0x03;
  static constexpr uint8_t kUnusedEncoding = 3;
  // offsetof the metadata byte (checked against kMetaByte below).
  static constexpr size_t MetaOffset();

  CompactString() = default;
  // Copies `s`; never integer-encodes (keys keep their bytes).
  explicit CompactString(std::string_view s);
  // Integer-encodes `s` when it is a canonical integer (what Redis's string2ll accepts and
  // prints back identically, at most 20 bytes), otherwise as FromBytes.
  static CompactString FromValue(std::string_view s);
  // Replaces the contents as FromValue encodes them (integer or bytes).
  void AssignValue(std::string_view s);
  static CompactString FromInteger(int64_t value);

  CompactString(CompactString&& other) noexcept;
  CompactString& operator=(CompactString&& other) noexcept;
  CompactString(const CompactString&) = delete;
  CompactString& operator=(const CompactString&) = delete;
  ~CompactString();

  // A deep copy, with the same encoding.
  CompactString Clone() const;

  Encoding encoding() const;
  bool is_integer() const { return encoding() == Encoding::kInteger; }
  // Requires: is_integer().
  int64_t integer() const;

  // Length of the string form (an integer's decimal digits).
  size_t size() const;
  // The bytes. For an integer-encoded string they are rendered into `scratch`, so the view
  // lives as long as both this string and `scratch`.
  std::string_view View(NumberBuffer& scratch) const;
  // Requires: !is_integer(). The bytes without scratch space (keys are never integers).
  std::string_view BytesView() const;
  void AppendTo(std::string* out) const;
  bool Equals(std::string_view s) const;

  // Replaces the contents.
  void Assign(std::string_view s);
  void AssignInteger(int64_t value);
  // Appends in place (converting from integer/inline to heap as needed), growing the heap
  // block geometrically so repeated appends are amortized O(1) per byte. The result is never
  // integer-encoded. `s` may view this string's own bytes.
  void Append(std::string_view s);
  // Writes `s` at `offset`, zero-padding any gap; grows like Append. An empty `s` changes
  // nothing (SETRANGE with an empty value never pads).
  void WriteAt(size_t offset, std::string_view s);

  // Heap bytes owned beyond the 16 inline bytes (0 when inline or integer): the block's
  // capacity header plus its capacity.
  size_t HeapBytes() const;
  // The heap block's address, nullptr when inline or integer: for prefetch hints.
  const void* heap_address() const;

 private:
  // Layout of bytes_: inline strings use bytes [0, 15). Heap strings keep an 8-byte block
  // pointer at [0, 8) and a 4-byte length at [8, 12); the block starts with its 4-byte
  // capacity. Integers keep an int64 at [0, 8). Fields are read and written with memcpy.
  // Frees any heap block and leaves an empty inline string.
  void Release();
  // Leaves a moved-from string empty; owns no block.
  void ResetMovedFrom();
  void SetMeta(Encoding encoding, size_t inline_length);
  size_t inline_length() const;
  char* heap_block() const;
  size_t heap_length() const;
  void SetHeap(char* block, size_t length);
  // Makes this a byte string (inline or heap) of `new_size` bytes, keeping the current bytes
  // as its prefix; bytes past the old size are unspecified. Returns the writable bytes.
  char* Resize(size_t new_size);

  char bytes_[kInlineCapacity] = {};
  uint8_t meta_ = 0;
};

constexpr size_t CompactString::MetaOffset() { return offsetof(CompactString, meta_); }

static_assert(sizeof(CompactString) == 16, "CompactString must stay 16 bytes");
static_assert(alignof(CompactString) == 1, "a CompactString is placed at any offset");
// Value tells a collection box from a string by this byte; both must agree on where it is.
static_assert(CompactString::MetaOffset() == CompactString::kMetaByte,
              "the metadata byte must be the last byte");
static_assert(static_cast<uint8_t>(CompactString::Encoding::kInteger) <
                  CompactString::kUnusedEncoding,
              "encoding 3 stays unused by CompactString: Value marks a collection box with it");

}  // namespace ember::storage
