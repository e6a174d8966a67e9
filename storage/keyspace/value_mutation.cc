#include "storage/keyspace/value_mutation.h"

#include <utility>

#include "storage/keyspace/database.h"

namespace ember::storage {

ValueMutation::ValueMutation(Database* db, Entry* entry, size_t old_bytes, bool created)
    : db_(db), entry_(entry), old_bytes_(old_bytes), created_(created) {
  value_ = entry->boxed_value();
  if (value_ == nullptr) {
    taken_ = entry->TakeValue(&db->spares_);
    value_ = &taken_;
  }
}

ValueMutation::ValueMutation(ValueMutation&& other) noexcept { TakeFrom(other); }

ValueMutation& ValueMutation::operator=(ValueMutation&& other) noexcept {
  if (this != &other) {
    Finish();
    TakeFrom(other);
  }
  return *this;
}

void ValueMutation::TakeFrom(ValueMutation& other) {
  db_ = std::exchange(other.db_, nullptr);
  entry_ = std::exchange(other.entry_, nullptr);
  const bool owns_value = other.value_ == &other.taken_;
  taken_ = std::move(other.taken_);
  value_ = owns_value ? &taken_ : other.value_;
  other.value_ = nullptr;
  old_bytes_ = other.old_bytes_;
  created_ = other.created_;
  changed_ = other.changed_;
}

Entry* ValueMutation::Finish() {
  if (db_ == nullptr) return nullptr;
  Database* db = std::exchange(db_, nullptr);
  Entry* entry = db->FinishMutation(*this);
  entry_ = nullptr;
  value_ = nullptr;
  return entry;
}

}  // namespace ember::storage
