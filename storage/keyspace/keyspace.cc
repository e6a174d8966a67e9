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

void Keyspace::BeginSnapshot(SnapshotCapture* capture) {
  assert(!snapshot_running_);
  for (auto& database : databases_) database->AttachSnapshot(capture);
  snapshot_running_ = true;
  snapshot_db_ = 0;
  snapshot_cursor_ = 0;
}

bool Keyspace::SnapshotStep(size_t budget) {
  assert(snapshot_running_);
  size_t captured = 0;
  size_t buckets = 0;
  while (snapshot_db_ < database_count() && captured < budget && buckets < budget) {
    snapshot_cursor_ = db(snapshot_db_).SnapshotStep(snapshot_cursor_, &captured);
    ++buckets;
    if (snapshot_cursor_ == 0) ++snapshot_db_;
  }
  return snapshot_db_ == database_count();
}

void Keyspace::EndSnapshot() {
  assert(snapshot_db_ == database_count());
  for (auto& database : databases_) database->DetachSnapshot();
  snapshot_running_ = false;
}

void Keyspace::AbandonSnapshot() {
  if (!snapshot_running_) return;
  for (auto& database : databases_) {
    database->SettlePending(/*capture=*/false);
    database->DetachSnapshot();
  }
  snapshot_running_ = false;
}

void Keyspace::RehashSteps(size_t buckets_per_db) {
  for (auto& database : databases_) database->RehashSteps(buckets_per_db);
}

void Keyspace::ShrinkIfSparse() {
  for (auto& database : databases_) database->ShrinkIfSparse();
}

}  // namespace ember::storage
