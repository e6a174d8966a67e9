#include "storage/keyspace/database.h"

#include <cassert>
#include <cstring>
#include <utility>

#include "storage/keyspace/keyspace.h"
#include "storage/table/hash_bytes.h"
#include "storage/value/chunk_bytes.h"
#include "storage/value/value_concerns.h"

namespace ember::storage {
namespace {

// The entry block's chunk and every chunk its value owns (already in chunks).
size_t EntryBytes(const Entry& entry) {
  return ChunkBytes(entry.block_size()) + entry.value_heap_bytes();
}

}  // namespace

uint64_t EntryTraits::Hash(std::string_view key) { return HashBytes(key); }

uint64_t EntryTraits::HashNode(const Entry& entry) { return HashBytes(entry.key()); }

bool EntryTraits::Matches(const Entry& entry, std::string_view key) { return entry.key() == key; }

Database::Database(int index, Keyspace* owner)
    : index_(index), owner_(owner), rng_(HashSeed() ^ static_cast<uint64_t>(index)) {}

Database::~Database() { ClearContents(); }

const EncodingLimits& Database::encoding_limits() const { return owner_->encoding_limits(); }

void Database::Touched(std::string_view key) { owner_->NotifyModified(index_, key); }

Entry* Database::Lookup(std::string_view key, int64_t now_ms, LookupMode mode) {
  const bool count_stats = mode == LookupMode::kRead || mode == LookupMode::kReadNoTouch;
  const bool touch = mode == LookupMode::kWrite || mode == LookupMode::kRead;
  clock_ms_ = now_ms;
  Entry* entry = keys_.Find(key);
  if (entry != nullptr && IsExpired(entry, now_ms)) {
    // A write on a writable replica still reclaims the key it is about to replace.
    if (owner_->expiry_deletes() || mode == LookupMode::kWrite) DeleteExpired(entry);
    entry = nullptr;
  }
  if (count_stats) {
    if (entry != nullptr) {
      ++owner_->stats().keyspace_hits;
    } else {
      ++owner_->stats().keyspace_misses;
      owner_->NotifyMissed(index_, key);
    }
  }
  const AccessTracking& tracking = owner_->access_tracking();
  if (entry != nullptr && touch && !tracking.suspended) {
    // Only LFU draws: 53 random bits make a uniform double in [0, 1).
    const double random01 =
        tracking.mode == AccessMode::kLfu ? static_cast<double>(rng_() >> 11) * 0x1.0p-53 : 0.0;
    entry->set_access(TouchedAccess(tracking, entry->access(), now_ms, random01));
  }
  return entry;
}

OpResult<Entry*> Database::FindOfType(std::string_view key, ValueType type, int64_t now_ms,
                                      LookupMode mode) {
  Entry* entry = Lookup(key, now_ms, mode);
  if (entry == nullptr) return OpStatus::kKeyNotFound;
  if (entry->type() != type) return OpStatus::kWrongType;
  return entry;
}

Entry* Database::Add(std::string_view key, Value value) {
  assert(value.is_string() || value.collection().Size() > 0);  // no empty collections
  return Link(
      Entry::Create(key, std::move(value), InitialAccess(owner_->access_tracking(), clock_ms_)));
}

Entry* Database::AddString(std::string_view key, std::string_view value,
                           std::optional<int64_t> expire_at_ms) {
  return Link(Entry::CreateString(key, value, InitialAccess(owner_->access_tracking(), clock_ms_),
                                  expire_at_ms));
}

void Database::Insert(Entry* entry) {
  entry->set_snapshot_mark(snapshot_mark_);  // not part of a running snapshot
  if (entry->has_expire()) ++expires_count_;
  keys_.Insert(entry);
  Account(static_cast<int64_t>(EntryBytes(*entry)));
}

Entry* Database::Link(Entry* entry) {
  Insert(entry);
  owner_->NotifyCreated(index_, entry->key());
  Touched(entry->key());
  return entry;
}

Entry* Database::Overwrite(Entry* entry, Value value) {
  assert(value.is_string() || value.collection().Size() > 0);
  BeforeChange(entry);
  const size_t old_bytes = EntryBytes(*entry);
  return FinishStore(entry, Entry::StoreValue(entry, std::move(value)), old_bytes);
}

Entry* Database::OverwriteString(Entry* entry, std::string_view value) {
  BeforeChange(entry);
  const size_t old_bytes = EntryBytes(*entry);
  return FinishStore(entry, Entry::StoreString(entry, value), old_bytes);
}

ValueMutation Database::Mutate(Entry* entry) {
  BeforeChange(entry);
  return ValueMutation(this, entry, EntryBytes(*entry), /*created=*/false);
}

OpResult<ValueMutation> Database::AddEmpty(std::string_view key, ValueType type) {
  std::optional<Value> empty = EmptyValue(type);
  assert(empty.has_value() && "AddEmpty of a type that cannot be created yet");
  if (!empty.has_value()) return OpStatus::kWrongType;
  Entry* entry =
      Entry::Create(key, std::move(*empty), InitialAccess(owner_->access_tracking(), clock_ms_));
  Insert(entry);
  return ValueMutation(this, entry, EntryBytes(*entry), /*created=*/true);
}

OpResult<ValueMutation> Database::FindOrCreate(std::string_view key, ValueType type,
                                               int64_t now_ms) {
  OpResult<Entry*> found = FindOfType(key, type, now_ms, LookupMode::kWrite);
  if (found.ok()) return Mutate(*found);
  if (found.status() != OpStatus::kKeyNotFound) return found.status();
  return AddEmpty(key, type);
}

Value Database::Extract(Entry* entry) {
  BeforeChange(entry);
  const size_t bytes = EntryBytes(*entry);
  Value value = entry->TakeValue();
  Remove(entry, bytes, /*report=*/true);
  return value;
}

Entry* Database::FinishStore(Entry* entry, Entry* stored, size_t old_bytes, bool report) {
  // `entry` is freed: the table finds its link by address alone, never reading it.
  if (stored != entry) keys_.Relink(entry, stored);
  Account(static_cast<int64_t>(EntryBytes(*stored)) - static_cast<int64_t>(old_bytes));
  if (report) Touched(stored->key());
  return stored;
}

Entry* Database::FinishMutation(ValueMutation& mutation) {
  Entry* entry = mutation.entry_;
  const bool taken = mutation.value_ == &mutation.taken_;
  const Value& value = *mutation.value_;
  Entry* stored = nullptr;
  if (!value.is_string() && value.collection().Size() == 0 && !value.collection().KeptWhenEmpty()) {
    // A key created by this mutation and left empty was never visible: nothing to report.
    if (!mutation.created_) owner_->NotifyEmptied(index_, entry->key());
    Remove(entry, mutation.old_bytes_, /*report=*/!mutation.created_);
  } else if (taken && !mutation.changed_ && !mutation.created_) {
    // A copy taken from an inline or packed slot and left unchanged: the slot still holds it.
    stored = entry;
  } else {
    Entry* after = entry;
    if (!taken) {
      after = Entry::Resettle(entry);
    } else if (!entry->KeepAttached(mutation.taken_)) {
      UnpackedSpares::Release(mutation.taken_);  // the store below rewrites the slot
      after = Entry::StoreValueFrom(entry, mutation.taken_);
    }
    stored = FinishStore(entry, after, mutation.old_bytes_,
                         /*report=*/mutation.changed_ || mutation.created_);
    // `entry` may be freed by now (a value that moved slots): the stored entry has the key.
    if (mutation.created_) owner_->NotifyCreated(index_, stored->key());
  }
  // An object unpacked from the slot (and not moved into it) serves the next mutation.
  if (taken) spares_.Recycle(std::move(mutation.taken_));
  return stored;
}

void Database::Remove(Entry* entry, size_t bytes, bool report) {
  [[maybe_unused]] Entry* unlinked = keys_.Unlink(entry->key());
  assert(unlinked == entry);
  if (report) Touched(entry->key());
  if (entry->has_expire()) --expires_count_;
  Account(-static_cast<int64_t>(bytes));
  Entry::Destroy(entry);
}

bool Database::Delete(std::string_view key) {
  Entry* entry = keys_.Unlink(key);
  if (entry == nullptr) return false;
  BeforeChange(entry);
  Touched(entry->key());
  Free(entry);
  return true;
}

bool Database::IsKeyExpired(std::string_view key, int64_t now_ms) const {
  const Entry* entry = keys_.Lookup(key);
  return entry != nullptr && IsExpired(entry, now_ms);
}

Entry* Database::SetExpire(Entry* entry, int64_t expire_at_ms) {
  BeforeChange(entry);
  if (!entry->has_expire()) ++expires_count_;
  const size_t old_bytes = EntryBytes(*entry);
  return FinishStore(entry, Entry::SetExpireAt(entry, expire_at_ms), old_bytes);
}

bool Database::RemoveExpire(Entry* entry) {
  if (!entry->has_expire()) return false;
  BeforeChange(entry);
  entry->ClearExpire();
  --expires_count_;
  Touched(entry->key());
  return true;
}

bool Database::IsExpired(const Entry* entry, int64_t now_ms) const {
  // Redis's keyIsExpired: a key is still alive at exactly its expiry millisecond.
  return entry->has_expire() && !owner_->expiry_suspended() && now_ms > entry->expire_at();
}

bool Database::ExpiryDue(int64_t when_ms, int64_t now_ms) const {
  return when_ms <= now_ms && !owner_->expiry_suspended();
}

uint64_t Database::Scan(uint64_t cursor, std::vector<std::string>* keys) const {
  return keys_.Scan(cursor, [keys](Entry* entry) { keys->emplace_back(entry->key()); });
}

void Database::ForEach(const std::function<void(const Entry&)>& fn) const {
  keys_.ForEach([&fn](Entry* entry) { fn(*entry); });
}

std::optional<std::string> Database::RandomKey(int64_t now_ms) {
  // Like Redis's dbRandomKey: an expired pick is reclaimed and another drawn. When every
  // key is volatile they may all be expired, so after kMaxExpiredPicks picks in a row the
  // last one's name is returned (the key itself stays, to be reclaimed on its next access).
  constexpr int kMaxExpiredPicks = 100;
  constexpr size_t kFairSample = 15;
  bool all_volatile = keys_.size() == expires_count_;
  for (int expired_picks = 0;;) {
    Entry* sample[kFairSample];
    size_t sampled = keys_.SampleNodes(rng_, sample, kFairSample);
    // Picking among a sample of neighbours evens out the bias towards short chains.
    Entry* entry = sampled > 0 ? sample[rng_() % sampled] : keys_.RandomNode(rng_);
    if (entry == nullptr) return std::nullopt;
    if (!IsExpired(entry, now_ms)) return std::string(entry->key());
    if ((all_volatile && ++expired_picks == kMaxExpiredPicks) || !owner_->expiry_deletes()) {
      return std::string(entry->key());
    }
    DeleteExpired(entry);
  }
}

size_t Database::SampleVolatile(Entry** out, size_t count) {
  if (expires_count_ == 0 || count == 0) return 0;
  size_t found = 0;
  size_t passed = 0;
  const size_t max_passed = count * kVolatileWalkFactor;
  // A bucket is visited whole, so entries past `count` in the last one are left for the
  // next full walk.
  const auto visit = [&](Entry* entry) {
    ++passed;
    if (entry->has_expire() && found < count) out[found++] = entry;
  };
  do {
    volatile_cursor_ = keys_.Scan(volatile_cursor_, visit);
  } while (found < count && passed < max_passed && volatile_cursor_ != 0);
  return found;
}

size_t Database::SampleKeys(Entry** out, size_t count) {
  return keys_.SampleNodes(rng_, out, count);
}

void Database::DeleteExpired(Entry* entry) { DeleteByEngine(entry, RemovalCause::kExpired); }

void Database::DeleteEvicted(Entry* entry) { DeleteByEngine(entry, RemovalCause::kEvicted); }

void Database::DeleteByEngine(Entry* entry, RemovalCause cause) {
  Entry* unlinked = keys_.Unlink(entry->key());
  if (unlinked == nullptr) return;
  BeforeChange(unlinked);
  // The key's bytes must outlive the reports; the entry is freed afterwards.
  owner_->NotifyRemoved(index_, unlinked->key(), cause);
  Touched(unlinked->key());
  Free(unlinked);
}

void Database::Clear() {
  SettlePending(/*capture=*/true);
  owner_->NotifyReplaced(index_, -1);
  ClearContents();
}

void Database::ClearContents() {
  keys_.Clear([](Entry* entry) { Entry::Destroy(entry); });
  memory_bytes_ = 0;
  expires_count_ = 0;
}

// The entries change databases: a snapshot must have each under the one it was in.
void Database::SwapContents(Database& other) {
  SettlePending(/*capture=*/true);
  other.SettlePending(/*capture=*/true);
  std::swap(keys_, other.keys_);
  std::swap(expires_count_, other.expires_count_);
  std::swap(memory_bytes_, other.memory_bytes_);
}

void Database::AttachSnapshot(SnapshotCapture* capture) {
  capture_ = capture;
  snapshot_mark_ = !snapshot_mark_;
}

uint64_t Database::SnapshotStep(uint64_t cursor, size_t* captured) {
  if (keys_.size() == 0) return 0;
  keys_.PrefetchScan(cursor);  // the walk's entries are scattered: each one is a miss
  return keys_.Scan(cursor, [this, captured](Entry* entry) {
    if (entry->snapshot_mark() == snapshot_mark_) return;
    CaptureNow(entry);
    ++*captured;
  });
}

void Database::SettlePending(bool capture) {
  if (capture_ == nullptr) return;
  keys_.ForEach([this, capture](Entry* entry) {
    if (entry->snapshot_mark() == snapshot_mark_) return;
    if (capture) {
      CaptureNow(entry);
    } else {
      entry->set_snapshot_mark(snapshot_mark_);
    }
  });
}

void Database::CaptureNow(Entry* entry) {
  entry->set_snapshot_mark(snapshot_mark_);
  capture_->Capture(index_, *entry);
}

void Database::RehashSteps(size_t buckets) { keys_.RehashSteps(buckets); }

void Database::ShrinkIfSparse() { keys_.ShrinkIfSparse(); }

void Database::set_resize_allowed(bool allowed) { keys_.set_resize_allowed(allowed); }

void Database::Free(Entry* entry) {
  if (entry->has_expire()) --expires_count_;
  Account(-static_cast<int64_t>(EntryBytes(*entry)));
  Entry::Destroy(entry);
}

void Database::Account(int64_t delta) {
  memory_bytes_ = static_cast<size_t>(static_cast<int64_t>(memory_bytes_) + delta);
}

}  // namespace ember::storage
