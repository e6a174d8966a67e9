// Redis 7.0's DEBUG DIGEST and DEBUG DIGEST-VALUE: SHA-1 based signatures of the dataset
// and of single values, computed exactly as Redis's debug.c computes them, so the same data
// gives the same 40 hex digits in both servers (test suites compare servers, and a server
// before and after a reload, this way).
//
// A value's digest mixes in its type, then its contents: a string's bytes (an integer as
// its decimal text) and a list's elements in order are chained (digest = SHA1(digest xor
// SHA1(bytes))); a set's members, and a hash's (field, value) and a sorted set's (member,
// "%.17g" score) pairs, each digested on their own, are XORed, so their order does not
// matter; a key with a TTL XORs in the SHA-1 of "!!expire!!". The dataset's digest XORs
// each key's (the key chained before its value) after chaining in the index of each
// non-empty database; all zeros when every database is empty.
//
// Keys are read as stored, logically expired ones included (Redis reads its dict directly).
// Threading: engine thread only.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "storage/keyspace/entry.h"
#include "storage/keyspace/keyspace.h"

namespace ember::storage {

using Digest = std::array<uint8_t, 20>;

// DEBUG DIGEST-VALUE's digest of the value at `entry` (with its TTL mark).
Digest ValueDigest(const Entry& entry);

// DEBUG DIGEST: the whole keyspace.
Digest DatasetDigest(const Keyspace& keyspace);

// 40 lowercase hex digits.
std::string DigestHex(const Digest& digest);

}  // namespace ember::storage
