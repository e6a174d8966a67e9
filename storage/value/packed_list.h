// PackedList: the small form of a hash, a sequence of strings and integers in one block,
// denser than a listpack because it is only ever walked forward: no total-bytes header, no
// backlens and no end byte. It is what an entry's slot keeps for a small hash (entry.h), so
// a hash of five short pairs costs one heap block, its entry's. At an RDB save or a DUMP it
// becomes a Redis listpack (ToListpack), and a loaded listpack becomes one (FromListpack).
//
// Format: the number of entries as a LEB128 varint (7 bits a byte, low first, high bit =
// more), then the entries, each a listpack entry's encoding and data without the backlen
// (listpack_codec.h), so integers take Redis's compact integer encodings.
//
// Entries are addressed by byte offsets into the block, as Listpack's are; an offset stays
// valid until the next change.
//
// Capacity: an owning list's block is sized to its bytes, except after Assign with room to
// spare (a reused object's block keeps room for the next edits) and within the slack a
// shrink leaves (at most a quarter plus kShrinkSlack bytes); HeapBytes counts the capacity.
//
// Ownership: an owning PackedList holds its malloc'd block (none while empty) and is
// movable, not copyable (Clone()); a borrowed one (Borrow) views bytes kept elsewhere (an
// entry's slot), may only be read, and is valid while those bytes are unchanged. An attached
// one (Attach) is an owning list whose block is someone else's writable buffer of a fixed
// capacity (an entry's packed slot): edits that fit are made there, in place; the first
// that does not moves the list into a block of its own, after which the buffer's bytes are
// unspecified (its owner rewrites them). It never frees the buffer. None
// points into itself, so each survives a byte copy. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "storage/value/listpack.h"

namespace ember::storage {

class PackedList {
 public:
  using Element = Listpack::Element;
  static constexpr size_t kNoEntry = Listpack::kNoEntry;

  // An empty owning list.
  PackedList() = default;
  PackedList(PackedList&& other) noexcept;
  PackedList& operator=(PackedList&& other) noexcept;
  PackedList(const PackedList&) = delete;
  PackedList& operator=(const PackedList&) = delete;
  ~PackedList();

  // A read-only view of `bytes`, a whole PackedList block as bytes() returned it.
  // Requires: bytes made by this class (an entry's slot is), never outside input.
  static PackedList Borrow(std::string_view bytes);
  // The same entries, in order, as an owning list. `listpack` was validated when it was made.
  static PackedList FromListpack(const Listpack& listpack);
  // The same entries as a Redis listpack (what Redis would hold for them, byte for byte).
  Listpack ToListpack() const;
  // An owning copy.
  PackedList Clone() const;
  // Makes this owning list a copy of `bytes` (a whole block as bytes() returned it), with
  // room for `room` more bytes before the next growth reallocates. Reuses the block when it
  // is big enough. Requires: an owning list; bytes made by this class.
  void Assign(std::string_view bytes, size_t room);
  // Makes this owning list edit `size` bytes at `buffer` (a whole block as bytes() returned
  // it) in place, within `capacity` bytes; its own block is freed. The buffer must outlive
  // the attachment (Detach, OwnBlock, or a growth past `capacity` ends it).
  // Requires: an owning list; size <= capacity.
  void Attach(char* buffer, size_t size, size_t capacity);
  // Whether the list is attached: bytes() is then a view of the buffer Attach was given.
  bool attached() const { return attached_; }
  // Ends an attachment, leaving the list empty (the buffer keeps the bytes).
  void Detach();
  // Ends an attachment by copying the bytes into a block of the list's own.
  void OwnBlock();

  // The whole block (the count and the entries); empty for an empty owning list.
  std::string_view bytes() const { return {block_, size_}; }
  size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }
  // Heap bytes of an owning list's block in allocator chunks; 0 for a borrowed, attached
  // or empty one.
  size_t HeapBytes() const;
  // Whether growing by `add` bytes keeps the block within Listpack::kMaxSafeBytes, so the
  // listpack it becomes at a save stays valid.
  bool SafeToAdd(size_t add) const;

  // Offsets: the first entry, the one after `offset` (kNoEntry past the end).
  size_t First() const;
  size_t Next(size_t offset) const;
  // The entry at `offset`. Requires: a valid entry offset.
  Element Get(size_t offset) const;
  // The first entry from `offset` on that equals `value`, looking at every (skip + 1)-th
  // entry, as Listpack::Find; kNoEntry when none does.
  size_t Find(std::string_view value, size_t offset, size_t skip) const;

  // Changes; Requires: an owning list.
  void Append(std::string_view value);
  // Inserts `value` before the entry at `offset` (kNoEntry: at the end); returns the new
  // entry's offset. Offsets taken before it are invalid after it.
  size_t Insert(size_t offset, std::string_view value);
  // Replaces the entry at `offset` with `value`; returns its offset (unchanged).
  size_t Replace(size_t offset, std::string_view value);
  // Deletes `count` entries starting at `offset` (fewer when the end comes first).
  void Delete(size_t offset, size_t count);

 private:
  size_t header_size() const;
  // Rewrites the count header for `count` entries, moving the entries when its width changes.
  void SetCount(uint32_t count);
  // Replaces bytes [at, at + old_size) with room for new_size bytes; returns nothing, the
  // caller writes the new bytes at `at`.
  void Splice(size_t at, size_t old_size, size_t new_size);
  // Reallocates the block to `capacity` bytes (frees it for 0). Requires: >= size_.
  void Resize(size_t capacity);
  // Ends an attachment: the bytes move into a new block of `capacity` bytes (none for 0).
  void MoveOut(size_t capacity);

  static constexpr size_t kShrinkSlack = 64;

  char* block_ = nullptr;
  uint32_t size_ = 0;
  uint32_t count_ = 0;
  uint32_t capacity_ = 0;  // bytes of an owning list's block; 0 when borrowed
  bool owned_ = true;
  bool attached_ = false;  // block_ is an Attach buffer: never freed or reallocated
};

}  // namespace ember::storage
