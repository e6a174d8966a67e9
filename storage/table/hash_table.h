// HashTable: a chained hash table of intrusive nodes that grows and shrinks incrementally.
//
// Why incremental: a table of millions of keys cannot be rehashed in one step without
// stalling every client. Like Redis's dict, a resize allocates the new bucket array and
// then moves one bucket per lookup/insert/erase (and more from the server's cron), so no
// single operation walks all keys. While rehashing, lookups consult both arrays and
// inserts go to the new one.
//
// Scan() uses the reverse-binary cursor: the cursor's bits are incremented from the most
// significant end, so a bucket visited in a small table maps to buckets visited in a larger
// one and vice versa. Every node present for a whole scan is returned at least once, even
// across resizes; some may be returned more than once.
//
// Node requirements: a `Node* next` member. Traits requirements:
//   using Key = ...;
//   static uint64_t Hash(const Key&);
//   static uint64_t HashNode(const Node&);
//   static bool Matches(const Node&, const Key&);
// The table links and unlinks nodes; it never allocates or frees them.
// Not thread-safe. Node pointers are stable while the node is linked.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <memory>
#include <random>

namespace ember::storage {

template <typename Node, typename Traits>
class HashTable {
 public:
  using Key = typename Traits::Key;

  HashTable() = default;
  HashTable(const HashTable&) = delete;
  HashTable& operator=(const HashTable&) = delete;
  // A moved-from table is empty.
  HashTable(HashTable&& other) noexcept;
  HashTable& operator=(HashTable&& other) noexcept;

  // Returns the node matching `key` or nullptr. Performs one rehash step.
  Node* Find(const Key& key);
  // Links `node`. Requires: no linked node matches its key. Performs one rehash step, then
  // may start a resize: when size reaches the bucket count, to the next power of two
  // >= 2 * size (while resizing is paused, only past kForceResizeRatio nodes per bucket).
  void Insert(Node* node);
  // Unlinks and returns the node matching `key`, or nullptr. Performs one rehash step.
  Node* Unlink(const Key& key);
  // Like Find, without the rehash step (for const callers).
  Node* Lookup(const Key& key) const;
  // Lookup with the key's hash already computed (Traits::Hash(key)).
  Node* LookupHashed(const Key& key, uint64_t hash) const;
  // Hints that a lookup of a key hashing to `hash` comes soon: start loading its bucket
  // slot; or, once that has arrived, the first 64 bytes of the node at the head of the
  // bucket; or, once that has arrived, those of the second node of the chain (a lookup
  // walks past the head about α/2 of the time at load factor α). Change nothing.
  void PrefetchBucket(uint64_t hash) const;
  void PrefetchFirstNode(uint64_t hash) const;
  void PrefetchSecondNode(uint64_t hash) const;
  // Hints for a walk by Scan that has reached `cursor`: starts loading the bucket
  // kScanBucketAhead steps on and the head node of the one kScanNodeAhead steps on (whose
  // bucket an earlier call asked for). Nothing while rehashing. Changes nothing.
  void PrefetchScan(uint64_t cursor) const;
  // Puts `replacement` in the chain link that points at `node`, for a node whose memory
  // moved (realloc). Requires: `node` is linked and `replacement` hashes as it did. `node`
  // is compared by address and never read, so it may already be freed. No rehash step.
  void Relink(const Node* node, Node* replacement);

  size_t size() const;
  size_t bucket_count() const;  // both arrays while rehashing
  bool rehashing() const;

  // Moves up to `buckets` buckets from the old array to the new one, skipping at most
  // 10 * `buckets` empty ones (as Redis's dictRehash). Returns true while rehashing remains.
  bool RehashSteps(size_t buckets);
  // Starts a shrink when the fill drops under 10% (Redis's HT_MIN_FILL); call from cron.
  void ShrinkIfSparse();
  // Gives an empty table, not rehashing, the bucket array the next resize would give it at
  // `size` nodes (the smallest power of two >= size), so inserting that many never
  // rehashes. A no-op for a non-empty table, one already that large, or when the array
  // cannot be allocated.
  void Reserve(size_t size);
  // While paused, no resize starts (used during fork-based saves to limit copy-on-write).
  void set_resize_allowed(bool allowed);

  // Calls fn(node) for the nodes of the buckets at `cursor`; returns the next cursor, 0 when
  // the scan is complete. fn must not insert or unlink.
  uint64_t Scan(uint64_t cursor, const std::function<void(Node*)>& fn) const;
  // A uniformly chosen bucket's random node, or nullptr when empty.
  Node* RandomNode(std::mt19937_64& rng) const;
  // Up to `count` distinct nodes from consecutive buckets starting at a random one (Redis's
  // dictGetSomeKeys, which jumps elsewhere after a run of empty buckets). Bounded work:
  // visits at most 10 * count buckets, so it may return fewer than asked.
  size_t SampleNodes(std::mt19937_64& rng, Node** out, size_t count) const;
  // Visits every node; fn may not insert or unlink.
  void ForEach(const std::function<void(Node*)>& fn) const;
  // Unlinks every node, calling release(node) for each, and frees the bucket arrays.
  void Clear(const std::function<void(Node*)>& release);

  // Bytes of the bucket arrays.
  size_t BucketBytes() const;

  // Rehash work done by the most recent Find, Insert or Unlink: buckets moved to the new
  // array, and buckets visited (moved or skipped empty). Lets tests prove that no single
  // operation rehashes more than a constant number of buckets.
  size_t last_op_moved_buckets() const { return last_op_moved_; }
  size_t last_op_visited_buckets() const { return last_op_visited_; }

 private:
  struct FreeBuckets {
    void operator()(Node** buckets) const { std::free(buckets); }
  };
  struct Array {
    // calloc'd: a large array comes from fresh zero pages, so starting a resize does not
    // touch every bucket at once.
    std::unique_ptr<Node*[], FreeBuckets> buckets;
    size_t mask = 0;  // bucket count - 1; 0 with no buckets
    size_t used = 0;
    size_t count() const { return buckets ? mask + 1 : 0; }
  };
  static constexpr size_t kInitialBuckets = 4;
  // Redis's dict_force_resize_ratio: grow even while resizing is paused past this fill.
  static constexpr size_t kForceResizeRatio = 5;
  static constexpr size_t kMinFillPercent = 10;
  // Empty buckets a rehash step may skip per bucket it may move, bounding its work when the
  // old array is sparse (Redis's dictRehash empty_visits).
  static constexpr size_t kEmptyVisitsPerStep = 10;
  static constexpr uint64_t kScanNodeAhead = 8;
  static constexpr uint64_t kScanBucketAhead = 16;
  // A rehash step asks for the head node of the bucket kRehashNodeAhead on, and for the new
  // slot and the second node of the head kRehashSlotAhead on (whose node an earlier step
  // asked for).
  static constexpr size_t kRehashNodeAhead = 16;
  static constexpr size_t kRehashSlotAhead = 8;

  // Resets the per-operation work counters and performs the operation's one rehash step.
  void BeginOperation();
  // Moves up to `buckets` buckets, adding the work done to the two counters.
  bool Rehash(size_t buckets, size_t* moved, size_t* visited);
  void ExpandIfNeeded();
  // Starts a resize to the smallest power of two >= `size` (at least kInitialBuckets).
  void Resize(size_t size);
  static Array MakeArray(size_t count);
  static void PrefetchNodeStart(const Node* node);
  // The hints of a rehash step that is about to move bucket `index` of arrays_[0]: moving a
  // node reads it (for its hash) and writes its new slot, both usually cache misses.
  void PrefetchRehashAhead(size_t index) const;
  // Calls `fn` with the bucket slot (a Node* const&) `hash` maps to in each array a lookup
  // would search: the main one, and the other while rehashing.
  template <typename Fn>
  void ForEachHomeBucket(uint64_t hash, Fn fn) const;
  static Node** FindSlot(const Array& array, uint64_t hash, const Key& key);
  template <typename Fn>
  static void ForEachInBucket(Node* head, Fn&& fn);

  Array arrays_[2];
  int64_t rehash_index_ = -1;  // next bucket of arrays_[0] to move; -1 when not rehashing
  bool resize_allowed_ = true;
  size_t last_op_moved_ = 0;
  size_t last_op_visited_ = 0;
};

}  // namespace ember::storage

#include "storage/table/hash_table_inl.h"
#include "storage/table/hash_table_prefetch_inl.h"
