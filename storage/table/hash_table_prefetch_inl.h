// The prefetch hints of HashTable (see hash_table.h). Included only by hash_table.h.
#pragma once

#include "storage/table/hash_table.h"
#include "storage/table/prefetch.h"
#include "storage/table/scan_cursor.h"

namespace ember::storage {

template <typename Node, typename Traits>
template <typename Fn>
void HashTable<Node, Traits>::ForEachHomeBucket(uint64_t hash, Fn fn) const {
  for (const Array& array : arrays_) {
    if (array.count() != 0) fn(array.buckets[hash & array.mask]);
    if (!rehashing()) break;
  }
}

template <typename Node, typename Traits>
void HashTable<Node, Traits>::PrefetchBucket(uint64_t hash) const {
  ForEachHomeBucket(hash, [](Node* const& bucket) { PrefetchForRead(&bucket); });
}

template <typename Node, typename Traits>
void HashTable<Node, Traits>::PrefetchNodeStart(const Node* node) {
  // The first 64 bytes, which may straddle two cache lines (nodes are 16-byte aligned):
  // for an entry that is its header and a short key.
  PrefetchForRead(node);
  PrefetchForRead(reinterpret_cast<const char*>(node) + 63);
}

template <typename Node, typename Traits>
void HashTable<Node, Traits>::PrefetchFirstNode(uint64_t hash) const {
  ForEachHomeBucket(hash, [](const Node* head) {
    if (head != nullptr) PrefetchNodeStart(head);
  });
}

template <typename Node, typename Traits>
void HashTable<Node, Traits>::PrefetchSecondNode(uint64_t hash) const {
  ForEachHomeBucket(hash, [](const Node* head) {
    if (head != nullptr && head->next != nullptr) PrefetchNodeStart(head->next);
  });
}

template <typename Node, typename Traits>
void HashTable<Node, Traits>::PrefetchRehashAhead(size_t index) const {
  const Array& from = arrays_[0];
  const Array& to = arrays_[1];
  if (index + kRehashNodeAhead < from.count()) {
    if (const Node* head = from.buckets[index + kRehashNodeAhead]) PrefetchNodeStart(head);
  }
  if (index + kRehashSlotAhead < from.count()) {
    if (const Node* head = from.buckets[index + kRehashSlotAhead]) {
      PrefetchForRead(&to.buckets[Traits::HashNode(*head) & to.mask]);
      if (head->next != nullptr) PrefetchNodeStart(head->next);
    }
  }
}

template <typename Node, typename Traits>
void HashTable<Node, Traits>::PrefetchScan(uint64_t cursor) const {
  if (size() == 0 || rehashing()) return;
  const Array& table = arrays_[0];
  const uint64_t node_cursor = ScanCursorAhead(cursor, table.mask, kScanNodeAhead);
  if (const Node* head = table.buckets[node_cursor & table.mask]) PrefetchNodeStart(head);
  const uint64_t bucket_cursor = ScanCursorAhead(cursor, table.mask, kScanBucketAhead);
  PrefetchForRead(&table.buckets[bucket_cursor & table.mask]);
}

}  // namespace ember::storage
