#include "server/aof/aof_replayer.h"

#include <fmt/format.h>

#include <array>
#include <string_view>

#include "server/command/arg_parsing.h"

namespace ember::server {

AofReplayer::AofReplayer(ServerState& state) : dispatcher_(CommandTable::Default(), state) {
  client_.obeys_log = true;
}

std::string AofReplayer::Apply(const std::vector<std::string>& argv, uint64_t offset,
                               int64_t now_ms) {
  const std::string_view name = argv[0];
  if (EqualsIgnoreCase(name, "multi")) {
    if (in_multi_) return "nested MULTI";
    in_multi_ = true;
    multi_start_ = offset;
    return "";
  }
  if (EqualsIgnoreCase(name, "exec")) {
    if (!in_multi_) return "EXEC without MULTI";
    in_multi_ = false;
    std::vector<std::vector<std::string>> queued = std::move(queued_);
    queued_.clear();
    for (const auto& command : queued) {
      if (std::string problem = Run(command, now_ms); !problem.empty()) return problem;
    }
    return "";
  }
  if (in_multi_) {
    queued_.push_back(argv);
    return "";
  }
  return Run(argv, now_ms);
}

void AofReplayer::PrefetchKeys(std::span<const std::vector<std::string>> commands) {
  constexpr size_t kMaxKeys = 64;
  std::array<uint64_t, kMaxKeys> hashes;
  size_t count = 0;
  for (const std::vector<std::string>& argv : commands) {
    if (argv.size() >= 2 && count < kMaxKeys) {
      hashes[count++] = storage::Database::KeyHash(argv[1]);
    }
  }
  dispatcher_.server()
      .keyspace()
      .db(client_.db_index)
      .PrefetchKeys(std::span(hashes.data(), count));
}

void AofReplayer::EndFile() {
  in_multi_ = false;
  queued_.clear();
  client_.db_index = 0;
}

std::string AofReplayer::Run(const std::vector<std::string>& argv, int64_t now_ms) {
  std::vector<std::string_view> args(argv.begin(), argv.end());
  const CommandSpec* spec = dispatcher_.table().Find(args[0]);
  if (spec == nullptr) return fmt::format("Unknown command '{}'", args[0]);
  if (!spec->subcommands.empty() && args.size() >= 2) {
    spec = CommandTable::FindSubcommand(*spec, args[1]);
    if (spec == nullptr) return fmt::format("Unknown subcommand '{}' of '{}'", args[1], args[0]);
  }
  if (!spec->ArityAccepts(static_cast<int>(args.size()))) {
    return fmt::format("Wrong number of arguments for '{}'", args[0]);
  }
  dispatcher_.Run(*spec, args, client_, writer_, now_ms);
  output_.clear();
  ++commands_applied_;
  return "";
}

}  // namespace ember::server
