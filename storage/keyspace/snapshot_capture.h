// SnapshotCapture: the receiver of a point-in-time snapshot of the keyspace, serialized
// while the keyspace keeps changing (no fork, no copy of the dataset).
//
// While a capture is attached (Keyspace::BeginSnapshot), every entry present at that moment
// is handed to it exactly once, with its value and TTL as they were then: by the snapshot's
// own walk (Keyspace::SnapshotStep), or by the database just before the entry first changes
// or goes — a store, a mutation, a TTL change, a deletion by a command, by expiry or by
// eviction, FLUSHDB/FLUSHALL, SWAPDB. Entries added meanwhile are never handed over.
//
// How "pending" costs nothing per key: each entry carries a mark bit (entry.h); an entry is
// pending while its mark differs from its database's. Attaching flips the databases' marks,
// which makes every entry pending at once; handing an entry over sets its mark; a new entry
// gets the current mark. A snapshot must end by walking every database to its end
// (EndSnapshot) or by AbandonSnapshot, which settles the remaining entries unseen, so that
// the next snapshot starts with every mark equal again.
//
// Threading: engine thread only, like the keyspace. Capture must not change the keyspace.
#pragma once

namespace ember::storage {

class Entry;

class SnapshotCapture {
 public:
  virtual ~SnapshotCapture() = default;
  // `entry` of database `db`, as of the snapshot's start; valid during the call only.
  virtual void Capture(int db, const Entry& entry) = 0;
};

}  // namespace ember::storage
