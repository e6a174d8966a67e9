// ACL categories (@read, @write, @string...): which categories a command belongs to, derived
// the way Redis 7.0 derives them, so that no row states a category its flags already imply.
//
// A command's categories are the union of
//   - its family's category (@string for the string family, @keyspace for generic...),
//     except for pure containers (CONFIG, CLIENT...: subcommands and no handler), which
//     Redis leaves uncategorised apart from @slow;
//   - the ones its flags imply (Redis's setImplicitACLCategories): write -> @write,
//     readonly -> @read, admin -> @admin and @dangerous, pubsub -> @pubsub, fast -> @fast,
//     blocking -> @blocking, and @slow for every command that is not @fast;
//   - the row's explicit extras (Redis's acl_categories in its command JSON: @dangerous for
//     KEYS, @keyspace for FLUSHDB...).
// Constant data and pure functions; safe on any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ember::server {

struct CommandSpec;

// One bit per category, in Redis's order (ACLCommandCategories): COMMAND INFO lists a
// command's categories in this order.
enum AclCategory : uint32_t {
  kAclKeyspace = 1u << 0,
  kAclRead = 1u << 1,
  kAclWrite = 1u << 2,
  kAclSet = 1u << 3,
  kAclSortedSet = 1u << 4,
  kAclList = 1u << 5,
  kAclHash = 1u << 6,
  kAclString = 1u << 7,
  kAclBitmap = 1u << 8,
  kAclHyperLogLog = 1u << 9,
  kAclGeo = 1u << 10,
  kAclStream = 1u << 11,
  kAclPubSub = 1u << 12,
  kAclAdmin = 1u << 13,
  kAclFast = 1u << 14,
  kAclSlow = 1u << 15,
  kAclBlocking = 1u << 16,
  kAclDangerous = 1u << 17,
  kAclConnection = 1u << 18,
  kAclTransaction = 1u << 19,
  kAclScripting = 1u << 20,
  // Not a category: in a row's `acl`, keeps the row out of its family's category, as Redis
  // keeps SORT (generic group) out of @keyspace.
  kAclNotInFamilyCategory = 1u << 31,
};

// The categories of `spec` when it belongs to a family whose category is `family_category`
// (0: the family has none).
uint32_t DeriveAclCategories(const CommandSpec& spec, uint32_t family_category);

// The category named `name` ("string", any letter case, without the '@'), or nullopt.
std::optional<AclCategory> FindAclCategory(std::string_view name);

// Calls visit(name) for each category set in `categories`, in Redis's order ("write").
template <typename Visit>
void ForEachAclCategory(uint32_t categories, Visit visit);

namespace acl_internal {
// The category names in bit order.
inline constexpr std::string_view kNames[] = {
    "keyspace", "read",   "write",       "set",       "sortedset",  "list",        "hash",
    "string",   "bitmap", "hyperloglog", "geo",       "stream",     "pubsub",      "admin",
    "fast",     "slow",   "blocking",    "dangerous", "connection", "transaction", "scripting"};
}  // namespace acl_internal

template <typename Visit>
void ForEachAclCategory(uint32_t categories, Visit visit) {
  for (size_t bit = 0; bit < std::size(acl_internal::kNames); ++bit) {
    if ((categories & (1u << bit)) != 0) visit(acl_internal::kNames[bit]);
  }
}

}  // namespace ember::server
