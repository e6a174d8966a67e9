// LazyFree: where large collections go to be destroyed, so that deleting a value of a
// million elements (DEL, UNLINK, an overwrite, expiry, eviction) never stalls the engine
// thread for the time the frees take. A collection with more than kLazyFreeThreshold elements
// is handed to one background thread, which destroys it; anything smaller is destroyed at
// once, where handing it over would cost more than freeing it (Redis's LAZYFREE_THRESHOLD
// reasoning, with the same threshold).
//
// Unlike Redis 7.0, whose DEL frees synchronously unless lazyfree-lazy-user-del is set, Ember
// always frees large collections in the background: nothing observable depends on the
// timing, and a client never waits for it. The keyspace's accounting drops the value's bytes
// when it is removed, before the background thread frees them.
//
// Contract: a value handed over is no longer reachable from the keyspace; its destructor must
// touch nothing but its own blocks (true of every Collection, see collection.h). The thread
// starts on first use and drains its queue before the process exits.
// Threading: DisposeValue may be called from any thread.
#pragma once

#include <cstddef>
#include <cstdint>

#include "storage/value/value.h"

namespace ember::storage {

// Collections with more elements than this are freed on the background thread.
inline constexpr size_t kLazyFreeThreshold = 64;

// Destroys `value` now, or on the background thread when it is a large collection.
void DisposeValue(Value&& value);

struct LazyFreeStats {
  uint64_t pending = 0;  // handed over, not yet destroyed (INFO lazyfree_pending_objects)
  uint64_t freed = 0;    // destroyed by the background thread (INFO lazyfreed_objects)
};
LazyFreeStats GetLazyFreeStats();
// Blocks until every value handed over so far has been destroyed (tests, shutdown).
void WaitForLazyFree();

}  // namespace ember::storage
