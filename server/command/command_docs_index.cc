// FindCommandDocs: one name-keyed index over the per-family docs tables, built once.
#include <string_view>
#include <unordered_map>

#include "server/command/command_docs.h"

namespace ember::server {
namespace {

using DocsIndex = std::unordered_map<std::string_view, const CommandDocs*>;

DocsIndex BuildIndex() {
  DocsIndex index;
  for (auto family :
       {StringCommandDocs(), GenericCommandDocs(), ServerCommandDocs(), ConnectionCommandDocs()}) {
    for (const CommandDocs& docs : family) index.emplace(docs.name, &docs);
  }
  return index;
}

}  // namespace

const CommandDocs* FindCommandDocs(std::string_view name) {
  static const DocsIndex index = BuildIndex();
  auto it = index.find(name);
  return it == index.end() ? nullptr : it->second;
}

}  // namespace ember::server
