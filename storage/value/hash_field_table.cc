#include "storage/value/hash_field_table.h"

#include <bit>
#include <cassert>
#include <cstdlib>
#include <cstring>
#include <new>

#include "storage/table/hash_bytes.h"
#include "storage/value/hash_value.h"

namespace ember::storage {
namespace {

size_t NodeRequest(size_t field_size, size_t value_size) {
  return sizeof(HashFieldNode) + field_size + value_size;
}

size_t NodeRequest(const HashFieldNode& node) {
  return NodeRequest(node.field_size, node.value_size);
}

}  // namespace

uint64_t HashFieldTraits::Hash(std::string_view field) { return HashBytes(field); }

uint64_t HashFieldTraits::HashNode(const HashFieldNode& node) { return HashBytes(node.field()); }

bool HashFieldTraits::Matches(const HashFieldNode& node, std::string_view field) {
  return node.field() == field;
}

HashFieldTable::HashFieldTable(HashValue* owner) : owner_(owner) {
  owner_->AddChunk(sizeof(HashFieldTable));
}

HashFieldTable::~HashFieldTable() {
  table_.Clear([](HashFieldNode* node) { std::free(node); });
}

// Why the bucket arrays can be accounted from bucket_count() alone: the table holds one
// array, or two while it rehashes, each a power of two of buckets, and the two never have
// the same size (HashTable::Resize keeps the array it has when the size would not change).
// So each set bit of the count is one array of that many buckets.
void HashFieldTable::AccountBuckets(size_t bucket_count, bool add) {
  while (bucket_count != 0) {
    const size_t array = std::bit_floor(bucket_count);
    bucket_count -= array;
    const size_t request = array * sizeof(HashFieldNode*);
    if (add) {
      owner_->AddChunk(request);
    } else {
      owner_->RemoveChunk(request);
    }
  }
}

template <typename Op>
auto HashFieldTable::WithBucketAccounting(Op&& op) {
  const size_t before = table_.bucket_count();
  auto result = op();
  const size_t after = table_.bucket_count();
  if (after != before) {
    AccountBuckets(before, /*add=*/false);
    AccountBuckets(after, /*add=*/true);
  }
  return result;
}

HashFieldNode* HashFieldTable::NewNode(std::string_view field, std::string_view value) {
  assert(field.size() <= UINT32_MAX && value.size() <= UINT32_MAX);
  const size_t request = NodeRequest(field.size(), value.size());
  auto* node = static_cast<HashFieldNode*>(std::malloc(request));
  if (node == nullptr) throw std::bad_alloc();
  node->next = nullptr;
  node->field_size = static_cast<uint32_t>(field.size());
  node->value_size = static_cast<uint32_t>(value.size());
  if (!field.empty()) std::memcpy(node->bytes(), field.data(), field.size());
  if (!value.empty()) std::memcpy(node->bytes() + field.size(), value.data(), value.size());
  owner_->AddChunk(request);
  return node;
}

void HashFieldTable::FreeNode(HashFieldNode* node) {
  owner_->RemoveChunk(NodeRequest(*node));
  std::free(node);
}

void HashFieldTable::Insert(std::string_view field, std::string_view value) {
  HashFieldNode* node = NewNode(field, value);
  WithBucketAccounting([&] {
    table_.Insert(node);
    return true;
  });
}

bool HashFieldTable::Set(std::string_view field, std::string_view value) {
  HashFieldNode* node = WithBucketAccounting([&] { return table_.Find(field); });
  if (node == nullptr) {
    Insert(field, value);
    return true;
  }
  if (node->value_size != value.size()) {
    assert(value.size() <= UINT32_MAX);
    const size_t old_request = NodeRequest(*node);
    const size_t new_request = NodeRequest(node->field_size, value.size());
    auto* moved = static_cast<HashFieldNode*>(std::realloc(node, new_request));
    if (moved == nullptr) throw std::bad_alloc();
    owner_->RemoveChunk(old_request);
    owner_->AddChunk(new_request);
    // The table finds the old link by address alone, never reading the freed node.
    if (moved != node) table_.Relink(node, moved);
    node = moved;
    node->value_size = static_cast<uint32_t>(value.size());
  }
  if (!value.empty()) std::memcpy(node->bytes() + node->field_size, value.data(), value.size());
  return false;
}

bool HashFieldTable::Delete(std::string_view field) {
  HashFieldNode* node = WithBucketAccounting([&] {
    HashFieldNode* unlinked = table_.Unlink(field);
    // Redis resizes a hash's dict after every delete that leaves it sparse.
    if (unlinked != nullptr) table_.ShrinkIfSparse();
    return unlinked;
  });
  if (node == nullptr) return false;
  FreeNode(node);
  return true;
}

void HashFieldTable::ForEach(const NodeFn& fn) const {
  table_.ForEach([&fn](HashFieldNode* node) { fn(*node); });
}

uint64_t HashFieldTable::Scan(uint64_t cursor, const NodeFn& fn) const {
  return table_.Scan(cursor, [&fn](HashFieldNode* node) { fn(*node); });
}

const HashFieldNode& HashFieldTable::RandomNode(std::mt19937_64& rng) const {
  const HashFieldNode* node = table_.RandomNode(rng);
  assert(node != nullptr);
  return *node;
}

}  // namespace ember::storage
