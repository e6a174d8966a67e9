// SetMemberTable: the hashtable form of a set (set_value.h), an incremental HashTable of
// member nodes, one heap allocation per member.
//
// Why the node has no length field: memory per member is the point of this form. A node is
// the `next` pointer followed by the member's bytes, and the member's length is read back
// from the allocation's usable size (malloc_usable_size) and the payload's last byte:
//   - exact:   the payload is exactly the member (its usable size leaves no spare byte);
//              allowed only when the member's last byte is greater than its length, so it
//              cannot be read as a padding count;
//   - padded:  the last byte t (1..payload size) counts the bytes after the member;
//   - long:    the last byte is 0 and the 8 bytes before it hold the member's length.
// So a 16-byte member costs one 24-byte request (a 32-byte chunk) where a length byte would
// push it to a 48-byte chunk; members whose last byte is small pay the next chunk size.
//
// Memory: the owner (SetValue) accounts each node with NodeRequest() and the bucket arrays
// with BucketArrays(). Not thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "storage/table/hash_table.h"

namespace ember::storage {

struct SetMemberNode {
  SetMemberNode* next;
  // The payload (see above) follows, within the same allocation.
};

// A node holding `member`, unlinked. Requires: member.size() < 2^63.
SetMemberNode* NewMemberNode(std::string_view member);
// Frees an unlinked node.
void FreeMemberNode(SetMemberNode* node);
// The member a node holds; valid while the node lives.
std::string_view MemberOf(const SetMemberNode* node);
// The malloc request a node holding `member` was allocated with (for AddChunk/RemoveChunk).
size_t NodeRequest(std::string_view member);

struct SetMemberTraits {
  using Key = std::string_view;
  static uint64_t Hash(std::string_view member);
  static uint64_t HashNode(const SetMemberNode& node);
  static bool Matches(const SetMemberNode& node, std::string_view member);
};

class SetMemberTable {
 public:
  SetMemberTable() = default;
  SetMemberTable(const SetMemberTable&) = delete;
  SetMemberTable& operator=(const SetMemberTable&) = delete;
  // Frees every node and the bucket arrays.
  ~SetMemberTable();

  // The bucket counts of the table's arrays, the larger first while rehashing; 0 for an
  // array that does not exist.
  std::array<size_t, 2> BucketArrays() const;

  HashTable<SetMemberNode, SetMemberTraits> table;
  // The bucket arrays as last accounted by the owner.
  std::array<size_t, 2> accounted_buckets = {0, 0};
};

}  // namespace ember::storage
