#include "persistence/aof_value_rewriters.h"

#include <array>

#include "persistence/aof_base.h"

namespace ember::persistence {
namespace {

using storage::kNotSupportedYet;
using storage::TypeRow;
using storage::ValueType;

void RewriteString(std::string* out, std::string_view key, storage::ValueRef value) {
  storage::NumberBuffer scratch;
  const std::array<std::string_view, 3> set = {"SET", key, value.View(scratch)};
  AppendAofCommand(out, set);
}

constexpr auto kRewriters = std::to_array<TypeRow<AofRewriteFn>>({
    {ValueType::kString, RewriteString},
    {ValueType::kList, kNotSupportedYet},
    {ValueType::kSet, kNotSupportedYet},
    {ValueType::kZSet, kNotSupportedYet},
    {ValueType::kHash, kNotSupportedYet},
    {ValueType::kStream, kNotSupportedYet},
});

}  // namespace

AofRewriteFn FindAofRewriter(storage::ValueType type) {
  const size_t index = storage::TypeIndex(type);
  if (index >= kRewriters.size() || kRewriters[index].type != type) return nullptr;
  return kRewriters[index].handler;
}

std::span<const TypeRow<AofRewriteFn>> AofValueRewriters() { return kRewriters; }

}  // namespace ember::persistence
