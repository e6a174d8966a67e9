#include "storage/keyspace/keyspace.h"

#include <cassert>

namespace ember::storage {

Keyspace::Keyspace(int databases) {
  assert(databases > 0);
  databases_.reserve(static_cast<size_t>(databases));
  for (int i = 0; i < databases; ++i) databases_.push_back(std::make_unique<Database>(i, this));
}

Keyspace::~Keyspace() = default;

void Keyspace::NotifyRemoved(int db, std::string_view key, RemovalCause cause) {
  if (cause == RemovalCause::kExpired) {
    ++stats_.expired_keys;
  } else {
    ++stats_.evicted_keys;
  }
  if (observer_ != nullptr) observer_->OnKeyRemoved(db, key, cause);
}

void Keyspace::SwapDatabases(int a, int b) {
  if (a == b) return;
  NotifyReplaced(a, b);
  NotifyReplaced(b, a);
  db(a).SwapContents(db(b));
}

void Keyspace::Clear() {
  for (auto& database : databases_) database->Clear();
}

size_t Keyspace::key_count() const {
  size_t count = 0;
  for (const auto& database : databases_) count += database->size();
  return count;
}

size_t Keyspace::used_memory() const {
  size_t bytes = 0;
  for (const auto& database : databases_) bytes += database->memory_bytes();
  return bytes;
}

void Keyspace::RehashSteps(size_t buckets_per_db) {
  for (auto& database : databases_) database->RehashSteps(buckets_per_db);
}

void Keyspace::ShrinkIfSparse() {
  for (auto& database : databases_) database->ShrinkIfSparse();
}

}  // namespace ember::storage
