// ValueMutation: the one way to change a stored value in place (APPEND, SETRANGE, and the
// collection commands to come). Database hands one out for an entry just looked up
// (Database::Mutate, FindOrCreate); it gives mutable access to the value, and when it ends
// (scope exit or Finish) it does, in one place, what every mutation owes the keyspace:
//   - stores the value back, moving the entry into the slot kind the value now needs
//     (a string that grew past the inline limit) and relinking a moved entry;
//   - re-accounts memory: the entry's bytes and the value's HeapBytes() after, minus before;
//   - reports the modification (Keyspace::NotifyModified, for WATCH; keyspace
//     notifications will hook the same point), unless MarkUnchanged was called;
//   - deletes the key when the value is a collection left empty (Redis never keeps empty
//     collections), reporting the deletion unless the key was created by this mutation.
// The access clock is not stamped here: the lookup that found the entry already did (as
// Redis's lookupKeyWrite does once per command), and stamping twice would move LFU counters.
//
// While a mutation is live, nothing else may move or delete its entry (no SetExpire,
// Overwrite, Delete or second mutation of that key): finish it first. A collection value is
// changed where it lives, in the entry's box, so other lookups of the key still see it; an
// inline or integer string is materialized as a Value and stored back at the end.
//
// Lifetime: must end before its Database is destroyed. Movable, not copyable. Ending may
// allocate (storing a grown string); an allocation failure there terminates, as Redis
// aborts on out-of-memory. Threading: the engine thread, like the Database.
#pragma once

#include <cstddef>

#include "storage/keyspace/entry.h"
#include "storage/value/value.h"

namespace ember::storage {

class Database;

class ValueMutation {
 public:
  // An ended mutation (what an OpResult<ValueMutation> holds on error).
  ValueMutation() = default;
  ValueMutation(ValueMutation&& other) noexcept;
  ValueMutation& operator=(ValueMutation&& other) noexcept;
  ValueMutation(const ValueMutation&) = delete;
  ValueMutation& operator=(const ValueMutation&) = delete;
  ~ValueMutation() { Finish(); }

  // Requires: live (not ended).
  Value& value() { return *value_; }
  template <class T>
  T& As() {
    return value_->As<T>();
  }
  // Whether the key did not exist before this mutation (FindOrCreate added it).
  bool created() const { return created_; }
  // Declares that the value was not changed after all: ending reports no modification.
  void MarkUnchanged() { changed_ = false; }

  // Ends the mutation (see above). Returns the entry's address afterwards, nullptr when the
  // key was deleted or the mutation had already ended.
  Entry* Finish();

 private:
  friend class Database;
  ValueMutation(Database* db, Entry* entry, size_t old_bytes, bool created);
  void TakeFrom(ValueMutation& other);

  Database* db_ = nullptr;  // nullptr once ended
  Entry* entry_ = nullptr;
  Value* value_ = nullptr;  // the entry's boxed Value, or &taken_
  Value taken_;             // an inline or integer string, materialized
  size_t old_bytes_ = 0;    // the entry's accounted bytes when the mutation began
  bool created_ = false;
  bool changed_ = true;
};

}  // namespace ember::storage
