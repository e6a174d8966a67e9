#include "server/families/families.h"

#include "server/command/command_table.h"

namespace ember::server {

std::span<const CommandFamily* const> AllFamilies() {
  static constexpr const CommandFamily* kFamilies[] = {
      &kStringFamily,       &kGenericFamily,   &kServerFamily, &kConnectionFamily,
      &kTransactionsFamily, &kScriptingFamily, &kSetFamily,    &kHashFamily,
      &kListFamily,         &kZSetFamily,      &kPubSubFamily, &kBitmapFamily,
      &kHyperLogLogFamily,  &kGeoFamily,       &kStreamFamily,
  };
  return kFamilies;
}

const CommandTable& CommandTable::Default() {
  static const CommandTable table(AllFamilies());
  return table;
}

}  // namespace ember::server
