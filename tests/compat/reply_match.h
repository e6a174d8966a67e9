// How the side-by-side suite decides that ember's reply matches the reference's, per the
// case line's CompareMode (see tests/compat/case_file.h). Pure functions over Reply.
#pragma once

#include "tests/compat/case_file.h"
#include "tests/support/redis_client.h"

namespace ember::test {

// True when `actual` (ember) matches `expected` (reference) under `line`'s mode. kIgnore
// always matches.
bool RepliesMatch(const CaseLine& line, const Reply& actual, const Reply& expected);

// The reply with every array, set and push, at every depth, sorted by its elements'
// ToString(); maps keep their key/value pairs together and sort them by key.
Reply SortedReply(const Reply& reply);

// True when both replies have the same type and, for aggregates (array, map, set, push),
// the same length and element shapes.
bool SameShape(const Reply& a, const Reply& b);

}  // namespace ember::test
