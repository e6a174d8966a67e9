#include "server/command/acl_categories.h"

#include "server/command/arg_parsing.h"
#include "server/command/command_spec.h"

namespace ember::server {

uint32_t DeriveAclCategories(const CommandSpec& spec, uint32_t family_category) {
  const bool pure_container = spec.handler == nullptr && !spec.subcommands.empty();
  const bool outside_family = (spec.acl & kAclNotInFamilyCategory) != 0;
  uint32_t categories = (spec.acl & ~kAclNotInFamilyCategory) |
                        (pure_container || outside_family ? 0 : family_category);
  if (spec.has_flag(kWrite)) categories |= kAclWrite;
  // Redis keeps scripting commands (EVAL_RO...) out of @read even when they are read-only.
  if (spec.has_flag(kReadOnly) && (categories & kAclScripting) == 0) categories |= kAclRead;
  if (spec.has_flag(kAdmin)) categories |= kAclAdmin | kAclDangerous;
  if (spec.has_flag(kPubSub)) categories |= kAclPubSub;
  if (spec.has_flag(kFast)) categories |= kAclFast;
  if (spec.has_flag(kBlocking)) categories |= kAclBlocking;
  if ((categories & kAclFast) == 0) categories |= kAclSlow;
  return categories;
}

std::optional<AclCategory> FindAclCategory(std::string_view name) {
  for (size_t bit = 0; bit < std::size(acl_internal::kNames); ++bit) {
    if (EqualsIgnoreCase(name, acl_internal::kNames[bit]))
      return static_cast<AclCategory>(1u << bit);
  }
  return std::nullopt;
}

}  // namespace ember::server
