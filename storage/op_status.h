// Outcomes of keyspace operations. Storage reports what happened as an OpStatus; the
// server maps each status to Redis's error text in one place (server/command/error_replies.h).
#pragma once

#include <cassert>
#include <utility>

namespace ember::storage {

enum class OpStatus {
  kOk,
  kKeyNotFound,    // the key does not exist (or has expired)
  kWrongType,      // the key holds a value of another type
  kNotAnInteger,   // value is not an integer or out of range
  kNotAFloat,      // value is not a valid float
  kOverflow,       // increment or decrement would overflow
  kNanOrInfinity,  // increment would produce NaN or Infinity
  kStringTooLong,  // result would exceed proto-max-bulk-len
  kSkipped,        // a condition (NX, XX, GT, LT) was not met; nothing changed
  kSameKey,        // source and destination are the same object
  kOutOfRange,     // index or database out of range
  kNotHll,         // a string that is not a HyperLogLog (bad header or size)
  kCorruptHll,     // a HyperLogLog whose sparse registers do not add up
};

// A value or the reason there is none. Cheap to move; no exceptions. [[nodiscard]]: a
// caller that drops one drops an error (WRONGTYPE, not found...) with it.
template <typename T>
class [[nodiscard]] OpResult {
 public:
  OpResult(T value) : status_(OpStatus::kOk), value_(std::move(value)) {}  // NOLINT
  OpResult(OpStatus status) : status_(status), value_() {                  // NOLINT
    assert(status != OpStatus::kOk);
  }

  bool ok() const { return status_ == OpStatus::kOk; }
  OpStatus status() const { return status_; }
  // Requires: ok().
  const T& value() const& { return value_; }
  T& value() & { return value_; }
  T&& value() && { return std::move(value_); }
  const T& operator*() const& { return value_; }
  T& operator*() & { return value_; }
  const T* operator->() const { return &value_; }
  T* operator->() { return &value_; }

 private:
  OpStatus status_;
  T value_;
};

}  // namespace ember::storage
