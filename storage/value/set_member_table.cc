#include "storage/value/set_member_table.h"

#include <malloc.h>

#include <bit>
#include <cstdlib>
#include <cstring>
#include <new>

#include "storage/table/hash_bytes.h"

namespace ember::storage {
namespace {

// Members longer than this use the long form: a padding count would not fit a byte on every
// allocator.
constexpr size_t kMaxShortMember = 200;
constexpr size_t kLongTrailer = sizeof(uint64_t) + 1;

char* Payload(SetMemberNode* node) { return reinterpret_cast<char*>(node) + sizeof(node->next); }
const char* Payload(const SetMemberNode* node) {
  return reinterpret_cast<const char*>(node) + sizeof(node->next);
}

// Bytes of payload the allocation holding `node` offers.
size_t PayloadCapacity(const SetMemberNode* node) {
  return malloc_usable_size(const_cast<SetMemberNode*>(node)) - sizeof(node->next);
}

// Whether a member may fill the payload exactly: its last byte must not read as a padding
// count (1..size) or as the long form's 0.
bool ExactAllowed(std::string_view member) {
  return !member.empty() && static_cast<unsigned char>(member.back()) > member.size();
}

}  // namespace

size_t NodeRequest(std::string_view member) {
  const size_t header = sizeof(SetMemberNode);
  const size_t length = member.size();
  if (length > kMaxShortMember) return header + length + kLongTrailer;
  // A request that is exactly a glibc chunk's usable size (24, 40, 56...) gets no spare byte:
  // it needs the exact form.
  const size_t exact = header + length;
  if (exact >= 24 && exact % 16 == 8 && ExactAllowed(member)) return exact;
  return exact + 1;
}

SetMemberNode* NewMemberNode(std::string_view member) {
  const size_t request = NodeRequest(member);
  auto* node = static_cast<SetMemberNode*>(std::malloc(request));
  if (node == nullptr) throw std::bad_alloc();
  node->next = nullptr;
  char* payload = Payload(node);
  if (!member.empty()) std::memcpy(payload, member.data(), member.size());
  // The allocator may offer more than asked: the form follows the capacity it gave.
  const size_t capacity = PayloadCapacity(node);
  const size_t spare = capacity - member.size();
  if (spare == 0) return node;  // exact (NodeRequest chose it, so ExactAllowed holds)
  if (spare <= 255 && member.size() <= kMaxShortMember) {
    payload[capacity - 1] = static_cast<char>(spare);
    return node;
  }
  const uint64_t length = member.size();
  std::memcpy(payload + capacity - kLongTrailer, &length, sizeof(length));
  payload[capacity - 1] = 0;
  return node;
}

void FreeMemberNode(SetMemberNode* node) { std::free(node); }

std::string_view MemberOf(const SetMemberNode* node) {
  const char* payload = Payload(node);
  const size_t capacity = PayloadCapacity(node);
  const auto last = static_cast<unsigned char>(payload[capacity - 1]);
  if (last == 0) {
    uint64_t length = 0;
    std::memcpy(&length, payload + capacity - kLongTrailer, sizeof(length));
    return {payload, static_cast<size_t>(length)};
  }
  if (last <= capacity) return {payload, capacity - last};
  return {payload, capacity};
}

uint64_t SetMemberTraits::Hash(std::string_view member) { return HashBytes(member); }

uint64_t SetMemberTraits::HashNode(const SetMemberNode& node) { return HashBytes(MemberOf(&node)); }

bool SetMemberTraits::Matches(const SetMemberNode& node, std::string_view member) {
  return MemberOf(&node) == member;
}

SetMemberTable::~SetMemberTable() {
  table.Clear([](SetMemberNode* node) { FreeMemberNode(node); });
}

std::array<size_t, 2> SetMemberTable::BucketArrays() const {
  const size_t total = table.bucket_count();
  if (!table.rehashing()) return {total, 0};
  // Both arrays have power-of-two sizes and differ while rehashing (a resize to the same
  // size is never started); equal halves are handled all the same.
  if (std::popcount(total) == 1) return {total / 2, total / 2};
  const size_t low = total & (~total + 1);
  return {total - low, low};
}

}  // namespace ember::storage
