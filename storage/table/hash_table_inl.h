// Implementation of HashTable (see hash_table.h). Included only by hash_table.h.
#pragma once

#include <algorithm>
#include <cstdlib>
#include <new>
#include <utility>

#include "storage/table/hash_table.h"
#include "storage/table/scan_cursor.h"

namespace ember::storage {

template <typename Node, typename Traits>
HashTable<Node, Traits>::HashTable(HashTable&& other) noexcept
    : arrays_{std::move(other.arrays_[0]), std::move(other.arrays_[1])},
      rehash_index_(std::exchange(other.rehash_index_, -1)),
      resize_allowed_(other.resize_allowed_) {
  other.arrays_[0] = Array{};
  other.arrays_[1] = Array{};
}

template <typename Node, typename Traits>
HashTable<Node, Traits>& HashTable<Node, Traits>::operator=(HashTable&& other) noexcept {
  if (this != &other) {
    arrays_[0] = std::exchange(other.arrays_[0], Array{});
    arrays_[1] = std::exchange(other.arrays_[1], Array{});
    rehash_index_ = std::exchange(other.rehash_index_, -1);
    resize_allowed_ = other.resize_allowed_;
  }
  return *this;
}

template <typename Node, typename Traits>
Node* HashTable<Node, Traits>::Find(const Key& key) {
  BeginOperation();
  return Lookup(key);
}

template <typename Node, typename Traits>
Node* HashTable<Node, Traits>::Lookup(const Key& key) const {
  if (size() == 0) return nullptr;
  return LookupHashed(key, Traits::Hash(key));
}

template <typename Node, typename Traits>
Node* HashTable<Node, Traits>::LookupHashed(const Key& key, uint64_t hash) const {
  for (const Array& array : arrays_) {
    if (array.count() != 0) {
      if (Node* node = *FindSlot(array, hash, key)) return node;
    }
    if (!rehashing()) break;
  }
  return nullptr;
}

template <typename Node, typename Traits>
void HashTable<Node, Traits>::Relink(const Node* node, Node* replacement) {
  const uint64_t hash = Traits::HashNode(*replacement);
  for (Array& array : arrays_) {
    if (array.count() != 0) {
      // Only links other than `node` are followed, so `node` itself is never read.
      for (Node** link = &array.buckets[hash & array.mask]; *link != nullptr;
           link = &(*link)->next) {
        if (*link == node) {
          *link = replacement;
          return;
        }
      }
    }
    if (!rehashing()) break;
  }
}

template <typename Node, typename Traits>
void HashTable<Node, Traits>::Insert(Node* node) {
  BeginOperation();
  ExpandIfNeeded();
  Array& target = rehashing() ? arrays_[1] : arrays_[0];
  Node*& head = target.buckets[Traits::HashNode(*node) & target.mask];
  node->next = head;
  head = node;
  ++target.used;
}

template <typename Node, typename Traits>
Node* HashTable<Node, Traits>::Unlink(const Key& key) {
  BeginOperation();
  if (size() == 0) return nullptr;
  uint64_t hash = Traits::Hash(key);
  for (Array& array : arrays_) {
    if (array.count() != 0) {
      Node** slot = FindSlot(array, hash, key);
      if (Node* node = *slot) {
        *slot = node->next;
        node->next = nullptr;
        --array.used;
        return node;
      }
    }
    if (!rehashing()) break;
  }
  return nullptr;
}

template <typename Node, typename Traits>
size_t HashTable<Node, Traits>::size() const {
  return arrays_[0].used + arrays_[1].used;
}

template <typename Node, typename Traits>
size_t HashTable<Node, Traits>::bucket_count() const {
  return arrays_[0].count() + arrays_[1].count();
}

template <typename Node, typename Traits>
bool HashTable<Node, Traits>::rehashing() const {
  return rehash_index_ != -1;
}

template <typename Node, typename Traits>
bool HashTable<Node, Traits>::RehashSteps(size_t buckets) {
  size_t moved = 0;
  size_t visited = 0;
  return Rehash(buckets, &moved, &visited);
}

template <typename Node, typename Traits>
void HashTable<Node, Traits>::ShrinkIfSparse() {
  if (rehashing() || !resize_allowed_) return;
  size_t count = arrays_[0].count();
  if (count > kInitialBuckets && arrays_[0].used * 100 / count < kMinFillPercent) {
    Resize(std::max(arrays_[0].used, kInitialBuckets));
  }
}

template <typename Node, typename Traits>
void HashTable<Node, Traits>::set_resize_allowed(bool allowed) {
  resize_allowed_ = allowed;
}

// Why this visits every node present for the whole scan: the cursor walks bucket indexes
// with the bits reversed, so all indexes sharing the low bits of a visited bucket come
// before any index with other low bits. After a grow, the buckets a visited small bucket
// split into all carry those same low bits and have been passed; after a shrink, a large
// bucket folds into a small one whose index bits are a prefix still ahead. While rehashing,
// the smaller array's bucket and every bucket of the larger array that maps onto it are
// visited in one call.
template <typename Node, typename Traits>
uint64_t HashTable<Node, Traits>::Scan(uint64_t cursor,
                                       const std::function<void(Node*)>& fn) const {
  if (size() == 0) return 0;
  if (!rehashing()) {
    const Array& table = arrays_[0];
    ForEachInBucket(table.buckets[cursor & table.mask], fn);
    return NextScanCursor(cursor, table.mask);
  }
  const Array* small = &arrays_[0];
  const Array* large = &arrays_[1];
  if (small->count() > large->count()) std::swap(small, large);
  uint64_t small_mask = small->mask;
  uint64_t large_mask = large->mask;
  ForEachInBucket(small->buckets[cursor & small_mask], fn);
  do {
    ForEachInBucket(large->buckets[cursor & large_mask], fn);
    cursor = NextScanCursor(cursor, large_mask);
  } while (cursor & (small_mask ^ large_mask));
  return cursor;
}

template <typename Node, typename Traits>
Node* HashTable<Node, Traits>::RandomNode(std::mt19937_64& rng) const {
  if (size() == 0) return nullptr;
  Node* head = nullptr;
  if (rehashing()) {
    // Buckets of the old array below rehash_index_ are empty; draw from the rest.
    size_t first = static_cast<size_t>(rehash_index_);
    size_t span = bucket_count() - first;
    while (head == nullptr) {
      size_t index = first + rng() % span;
      head = index < arrays_[0].count() ? arrays_[0].buckets[index]
                                        : arrays_[1].buckets[index - arrays_[0].count()];
    }
  } else {
    while (head == nullptr) head = arrays_[0].buckets[rng() & arrays_[0].mask];
  }
  size_t length = 0;
  for (Node* node = head; node != nullptr; node = node->next) ++length;
  size_t pick = rng() % length;
  while (pick-- > 0) head = head->next;
  return head;
}

template <typename Node, typename Traits>
size_t HashTable<Node, Traits>::SampleNodes(std::mt19937_64& rng, Node** out, size_t count) const {
  count = std::min(count, size());
  if (count == 0) return 0;
  size_t max_steps = count * 10;
  size_t tables = rehashing() ? 2 : 1;
  size_t max_mask = std::max(arrays_[0].mask, arrays_[1].mask);
  size_t index = rng() & max_mask;
  size_t empty_run = 0;
  size_t stored = 0;
  while (stored < count && max_steps-- > 0) {
    for (size_t t = 0; t < tables && stored < count; ++t) {
      if (tables == 2 && t == 0 && index < static_cast<size_t>(rehash_index_)) {
        // Already moved: the old array is empty here. Skip it, or jump to where it is not
        // empty when the new array has no bucket at this index either.
        if (index >= arrays_[1].count()) {
          index = static_cast<size_t>(rehash_index_);
        } else {
          continue;
        }
      }
      if (index >= arrays_[t].count()) continue;
      Node* node = arrays_[t].buckets[index];
      if (node == nullptr) {
        // A long run of empty buckets: try somewhere else.
        if (++empty_run >= 5 && empty_run > count) {
          index = rng() & max_mask;
          empty_run = 0;
        }
        continue;
      }
      empty_run = 0;
      for (; node != nullptr && stored < count; node = node->next) out[stored++] = node;
    }
    index = (index + 1) & max_mask;
  }
  // Jumps and wrap-around can revisit a bucket; callers may free what they get, so no
  // node is returned twice.
  std::sort(out, out + stored);
  return static_cast<size_t>(std::unique(out, out + stored) - out);
}

template <typename Node, typename Traits>
void HashTable<Node, Traits>::ForEach(const std::function<void(Node*)>& fn) const {
  for (const Array& array : arrays_) {
    for (size_t i = 0; i < array.count(); ++i) ForEachInBucket(array.buckets[i], fn);
  }
}

template <typename Node, typename Traits>
void HashTable<Node, Traits>::Clear(const std::function<void(Node*)>& release) {
  for (Array& array : arrays_) {
    for (size_t i = 0; i < array.count(); ++i) ForEachInBucket(array.buckets[i], release);
    array = Array{};
  }
  rehash_index_ = -1;
}

template <typename Node, typename Traits>
size_t HashTable<Node, Traits>::BucketBytes() const {
  return bucket_count() * sizeof(Node*);
}

template <typename Node, typename Traits>
void HashTable<Node, Traits>::BeginOperation() {
  last_op_moved_ = 0;
  last_op_visited_ = 0;
  if (rehashing()) Rehash(1, &last_op_moved_, &last_op_visited_);
}

template <typename Node, typename Traits>
bool HashTable<Node, Traits>::Rehash(size_t buckets, size_t* moved, size_t* visited) {
  if (!rehashing()) return false;
  Array& from = arrays_[0];
  Array& to = arrays_[1];
  size_t empty_visits = buckets * kEmptyVisitsPerStep;
  for (; buckets > 0 && from.used != 0; --buckets) {
    auto index = static_cast<size_t>(rehash_index_);
    while (from.buckets[index] == nullptr) {
      ++index;
      ++*visited;
      rehash_index_ = static_cast<int64_t>(index);
      if (--empty_visits == 0) return true;
    }
    PrefetchRehashAhead(index);
    for (Node* node = from.buckets[index]; node != nullptr;) {
      Node* next = node->next;
      Node*& head = to.buckets[Traits::HashNode(*node) & to.mask];
      node->next = head;
      head = node;
      --from.used;
      ++to.used;
      node = next;
    }
    from.buckets[index] = nullptr;
    rehash_index_ = static_cast<int64_t>(index + 1);
    ++*moved;
    ++*visited;
  }
  if (from.used != 0) return true;
  arrays_[0] = std::move(arrays_[1]);
  arrays_[1] = Array{};
  rehash_index_ = -1;
  return false;
}

template <typename Node, typename Traits>
void HashTable<Node, Traits>::ExpandIfNeeded() {
  if (rehashing()) return;
  size_t count = arrays_[0].count();
  if (count == 0) {
    Resize(kInitialBuckets);
    return;
  }
  size_t used = arrays_[0].used;
  if (used >= count && (resize_allowed_ || used / count > kForceResizeRatio)) Resize(used * 2);
}

template <typename Node, typename Traits>
void HashTable<Node, Traits>::Resize(size_t size) {
  size_t target = kInitialBuckets;
  while (target < size) target <<= 1;
  if (arrays_[0].count() == 0) {
    arrays_[0] = MakeArray(target);
    return;
  }
  if (target == arrays_[0].count()) return;
  arrays_[1] = MakeArray(target);
  rehash_index_ = 0;
}

template <typename Node, typename Traits>
void HashTable<Node, Traits>::Reserve(size_t size) {
  if (this->size() != 0 || rehashing() || size <= arrays_[0].count()) return;
  size_t target = kInitialBuckets;
  while (target < size) target <<= 1;
  auto* buckets = static_cast<Node**>(std::calloc(target, sizeof(Node*)));
  if (buckets == nullptr) return;
  arrays_[0].buckets.reset(buckets);
  arrays_[0].mask = target - 1;
  arrays_[0].used = 0;
}

template <typename Node, typename Traits>
typename HashTable<Node, Traits>::Array HashTable<Node, Traits>::MakeArray(size_t count) {
  Array array;
  auto* buckets = static_cast<Node**>(std::calloc(count, sizeof(Node*)));
  if (buckets == nullptr) throw std::bad_alloc();
  array.buckets.reset(buckets);
  array.mask = count - 1;
  return array;
}

template <typename Node, typename Traits>
Node** HashTable<Node, Traits>::FindSlot(const Array& array, uint64_t hash, const Key& key) {
  Node** slot = &array.buckets[hash & array.mask];
  while (*slot != nullptr && !Traits::Matches(**slot, key)) slot = &(*slot)->next;
  return slot;
}

template <typename Node, typename Traits>
template <typename Fn>
void HashTable<Node, Traits>::ForEachInBucket(Node* head, Fn&& fn) {
  // Reads `next` first so that fn may free the node (Clear).
  while (head != nullptr) {
    Node* next = head->next;
    fn(head);
    head = next;
  }
}

}  // namespace ember::storage
