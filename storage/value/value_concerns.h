// The storage concerns that depend on a value's type, one dispatch table each, one row per
// ValueType (value_type.h): the OBJECT ENCODING word, the copy COPY stores, the bytes
// MEMORY USAGE reports, and the empty value a find-or-create adds. A row may be
// kNotSupportedYet; the functions below then say so (nullopt, "unknown").
//
// The *Rows() accessors expose the tables to tests/unit/persistence/value_type_concerns_test.cc,
// which fails when a table lacks a row for a type.
//
// Stateless; tables are constant.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

#include "storage/value/value.h"
#include "storage/value/value_type.h"

namespace ember::storage {

using EncodingNameFn = std::string_view (*)(ValueRef value);
using CopyFn = Value (*)(ValueRef value);
using MemoryUsageFn = size_t (*)(ValueRef value);
using EmptyValueFn = Value (*)();

// OBJECT ENCODING in Redis's words: strings "int" (integers), "embstr" (up to 44 bytes) or
// "raw" (longer), so tools that inspect encodings see what they expect; collections their
// CollectionEncodingName. "unknown" (Redis's word too) for a type not supported yet.
std::string_view ObjectEncoding(ValueRef value);
// COPY's deep copy of `value`; nullopt when COPY does not support the type yet.
std::optional<Value> CopyValue(ValueRef value);
// What MEMORY USAGE counts for the value beyond its entry block: the heap chunks it owns;
// nullopt when MEMORY USAGE does not support the type yet.
std::optional<size_t> ValueMemoryUsage(ValueRef value);
// The empty value a find-or-create adds for `type` (an empty string; an empty collection
// that the mutation fills); nullopt when the type cannot be created yet.
std::optional<Value> EmptyValue(ValueType type);

std::span<const TypeRow<EncodingNameFn>> ObjectEncodingRows();
std::span<const TypeRow<CopyFn>> CopyRows();
std::span<const TypeRow<MemoryUsageFn>> MemoryUsageRows();
std::span<const TypeRow<EmptyValueFn>> EmptyValueRows();

}  // namespace ember::storage
