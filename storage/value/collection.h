// Collection: the base of every aggregate value (lists, sets, sorted sets, hashes, streams).
// A Value holds a collection through a small box (value.h): a pointer to the object and the
// value's type, so the keyspace, the entry block and the per-type tables treat every
// collection alike.
//
// Relocation rule: a collection object never points back at the Value or the entry that
// boxes it (the entry block holding the box is realloc'd, i.e. byte-copied, while the value
// is live; see value.h). Pointers inside the object into its own heap blocks are fine.
//
// Memory: heap_bytes() is O(1) and counts, in allocator chunks (chunk_bytes.h), every heap
// block the collection owns, its own object included. A subclass keeps it exact with
// AddChunk / RemoveChunk wherever it allocates, frees or resizes a block, so the keyspace's
// used_memory stays exact without walking elements.
//
// Ownership: owned by exactly one Value; copied only through Clone(). Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "storage/value/chunk_bytes.h"
#include "storage/value/value_type.h"

namespace ember::storage {

// How a collection is laid out, in the terms OBJECT ENCODING reports (Redis's words).
enum class CollectionEncoding : uint8_t {
  kListpack,
  kQuicklist,
  kHashtable,
  kIntset,
  kSkiplist,
  kStream,
};

// "listpack", "quicklist", "hashtable", "intset", "skiplist" or "stream".
std::string_view CollectionEncodingName(CollectionEncoding encoding);

class Collection {
 public:
  virtual ~Collection() = default;
  Collection& operator=(const Collection&) = delete;

  // A deep copy with the same elements and encoding (COPY). Its heap_bytes() counts its own
  // blocks.
  [[nodiscard]] virtual std::unique_ptr<Collection> Clone() const = 0;
  // Number of elements. A collection left with none is deleted with its key when the
  // mutation that emptied it ends (Redis never keeps empty collections), unless it is
  // KeptWhenEmpty.
  virtual size_t Size() const = 0;
  // Whether the key stays when its last element goes: a stream does (its last ID and
  // consumer groups still matter), as in Redis.
  virtual bool KeptWhenEmpty() const { return false; }
  // The bytes of the small form when the collection is in it (a hash's PackedList, a set's
  // intset), nullopt otherwise. An entry keeps these bytes in its own block instead of the
  // object (entry.h), and a type's Borrow reads them back in place.
  virtual std::optional<std::string_view> PackedBytes() const { return std::nullopt; }
  // A memory-latency hint for pipelined commands (server/net/key_prefetcher.h): starts
  // loading, in steps, what this type's common write touches first beyond the object
  // itself. Step 0 may read only the object; each later step may read what the one before
  // loaded. Returns whether a later step has more to load. Changes nothing.
  virtual bool PrefetchHot(int step) const {
    (void)step;
    return false;
  }

  ValueType type() const { return type_; }
  CollectionEncoding encoding() const { return encoding_; }
  // Heap bytes owned, in allocator chunks, this object's own chunk included. O(1).
  size_t heap_bytes() const { return heap_bytes_; }

 protected:
  // `object_size` is sizeof the most derived class: its chunk is counted from the start.
  Collection(ValueType type, CollectionEncoding encoding, size_t object_size)
      : heap_bytes_(ChunkBytes(object_size)), type_(type), encoding_(encoding) {}
  // A copy starts with the source's heap_bytes(): right when the copy allocates blocks of
  // the same sizes; a subclass whose copy sizes them differently corrects it.
  Collection(const Collection&) = default;

  void set_encoding(CollectionEncoding encoding) { encoding_ = encoding; }
  // Accounting of the blocks the subclass owns; `request` is the size passed to malloc.
  void AddChunk(size_t request) { heap_bytes_ += ChunkBytes(request); }
  void RemoveChunk(size_t request) { heap_bytes_ -= ChunkBytes(request); }
  // The same for a block already measured in chunks (a member's own HeapBytes()).
  void AddHeapBytes(size_t chunk_bytes) { heap_bytes_ += chunk_bytes; }
  void RemoveHeapBytes(size_t chunk_bytes) { heap_bytes_ -= chunk_bytes; }

 private:
  size_t heap_bytes_;
  ValueType type_;
  CollectionEncoding encoding_;
};

}  // namespace ember::storage
