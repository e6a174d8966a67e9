// HashBytes: the hash of every hash table of the keyspace and of the collections (keys,
// hash fields, set members): a wyhash-style mix, fast on short strings, seeded once per
// process with a random value so that clients cannot craft keys that pile into one chain.
// Pure after startup; safe on any thread.
#pragma once

#include <cstdint>
#include <string_view>

namespace ember::storage {

uint64_t HashBytes(std::string_view bytes);
// The process's random seed, also a seed for random choices (RANDOMKEY, sampling) that
// clients should not predict.
uint64_t HashSeed();

}  // namespace ember::storage
