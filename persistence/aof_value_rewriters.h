// The commands that rebuild a value in an AOF base written as RESP (aof-use-rdb-preamble
// no): one row per storage::ValueType, in enum order, as Redis's rewriteAppendOnlyFileRio
// chooses by type (strings: SET; sets: SADD and hashes: HMSET, 64 elements per command). The TTL is
// not a row's business: the base writer follows every key with PEXPIREAT when it has one. A row of
// kNotSupportedYet makes the rewrite fail with an error naming the key and type.
//
// Supporting a new data type is adding a rewriter and filling its row. Stateless; the table
// is constant.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "storage/value/value.h"
#include "storage/value/value_type.h"

namespace ember::persistence {

// Appends to `out`, in RESP (AppendAofCommand), the commands that recreate `key` holding
// `value` in an empty database.
using AofRewriteFn = void (*)(std::string* out, std::string_view key, storage::ValueRef value);

// The rewriter for `type`, or nullptr when the type cannot be rewritten yet.
AofRewriteFn FindAofRewriter(storage::ValueType type);
// The whole table, for the per-type concern test.
std::span<const storage::TypeRow<AofRewriteFn>> AofValueRewriters();

}  // namespace ember::persistence
