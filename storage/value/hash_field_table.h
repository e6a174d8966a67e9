// HashFieldTable: the kHashtable encoding of a HashValue (hash_value.h): an incremental
// HashTable (storage/table/hash_table.h) of field nodes hashed with HashBytes.
//
// Each field is one malloc'd node: the chain pointer, the two lengths, the field's bytes and
// the value's bytes, so a field costs one allocation and 16 bytes of header (Redis pays a
// dictEntry and two sds strings, three allocations). A value that changes size reallocates
// its node, and the table relinks the node where it moved.
//
// Memory: every block the table owns (its own object, the bucket arrays, each node) is
// counted in its owner's heap_bytes() as it is allocated, resized or freed, through the
// owner's AddChunk / RemoveChunk. The owner is the HashValue that holds the table; a
// HashValue lives in its own heap block and never moves, so the pointer stays valid.
//
// Views of fields and values stay valid until the next change of the table. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <random>
#include <string_view>

#include "storage/table/hash_table.h"

namespace ember::storage {

class HashValue;

// One field and its value, in one block: this header, then the field's bytes, then the
// value's. Lengths are 32-bit: a field or value of 4 GiB or more cannot be stored.
struct HashFieldNode {
  HashFieldNode* next;
  uint32_t field_size;
  uint32_t value_size;

  std::string_view field() const { return {bytes(), field_size}; }
  std::string_view value() const { return {bytes() + field_size, value_size}; }
  const char* bytes() const { return reinterpret_cast<const char*>(this + 1); }
  char* bytes() { return reinterpret_cast<char*>(this + 1); }
};
static_assert(sizeof(HashFieldNode) == 16, "a field node's header is 16 bytes");

struct HashFieldTraits {
  using Key = std::string_view;
  static uint64_t Hash(std::string_view field);
  static uint64_t HashNode(const HashFieldNode& node);
  static bool Matches(const HashFieldNode& node, std::string_view field);
};

class HashFieldTable {
 public:
  using NodeFn = std::function<void(const HashFieldNode& node)>;

  // An empty table whose blocks are accounted to `owner`, this object's own block included
  // (the owner allocates it with new right after).
  explicit HashFieldTable(HashValue* owner);
  // Frees every node and the bucket arrays, without accounting: the owner is going away.
  ~HashFieldTable();
  HashFieldTable(const HashFieldTable&) = delete;
  HashFieldTable& operator=(const HashFieldTable&) = delete;

  size_t size() const { return table_.size(); }
  // The node of `field`, or nullptr. No rehash step (reads are const).
  const HashFieldNode* Find(std::string_view field) const { return table_.Lookup(field); }
  // Sets `field` to `value`; true when the field is new. Performs a rehash step.
  bool Set(std::string_view field, std::string_view value);
  // Adds a field known to be absent (conversion, copying). Performs a rehash step.
  void Insert(std::string_view field, std::string_view value);
  // Removes `field`; false when absent. Starts a shrink when the table became sparse.
  bool Delete(std::string_view field);

  // Table order; fn must not change the table.
  void ForEach(const NodeFn& fn) const;
  // HashTable::Scan over the nodes.
  uint64_t Scan(uint64_t cursor, const NodeFn& fn) const;
  // A random node (HashTable::RandomNode). Requires: size() > 0.
  const HashFieldNode& RandomNode(std::mt19937_64& rng) const;

 private:
  // Wraps a table operation that may allocate or free bucket arrays, re-accounting them.
  template <typename Op>
  auto WithBucketAccounting(Op&& op);
  HashFieldNode* NewNode(std::string_view field, std::string_view value);
  void FreeNode(HashFieldNode* node);
  void AccountBuckets(size_t bucket_count, bool add);

  HashValue* owner_;
  HashTable<HashFieldNode, HashFieldTraits> table_;
};

}  // namespace ember::storage
