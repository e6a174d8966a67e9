#include "server/aof/aof_control.h"
#include "server/command/call_recorder.h"
#include "server/command/dispatcher.h"
#include "server/command/error_replies.h"
#include "server/rdb/rdb_control.h"
#include "server/scripting/script_run.h"

namespace ember::server::scripting {
namespace {

const CommandSpec* LookUp(const CommandTable& table, std::span<const std::string_view> args) {
  const CommandSpec* spec = table.Find(args[0]);
  if (spec != nullptr && !spec->subcommands.empty() && args.size() >= 2) {
    spec = CommandTable::FindSubcommand(*spec, args[1]);
  }
  return spec;
}

// The rules on writes that depend on the server's state apply until the script's first
// write: after it, failing the script halfway would leave its effects half done.
bool WriteAllowed(ScriptRun& run, const CommandSpec& spec, std::string* error) {
  if (run.read_only && (spec.has_flag(kWrite) || spec.has_flag(kMayReplicate))) {
    *error = "Write commands are not allowed from read-only scripts.";
    return false;
  }
  // Once the script changed the dataset it cannot fail on the server's state (Redis's
  // scriptVerifyWriteCommandAllow, whose order the checks below follow).
  if (!spec.has_flag(kWrite) || run.wrote) return true;
  ServerState& server = run.caller.server;
  // A read-only replica takes writes only from its primary's stream.
  if (server.replication().is_replica() && server.config().replica_read_only &&
      !run.caller.client.obeys_log) {
    *error = "-" + std::string(kErrReadOnlyReplica);
    return false;
  }
  if (WritesRefusedByDiskError(server)) {
    *error = "-" + std::string(kErrMisconf);
    return false;
  }
  std::string aof_error;
  if (WritesRefusedByAofError(server, &aof_error)) {
    *error = "-" + aof_error;
    return false;
  }
  // min-replicas-to-write: reachable only by scripts without flags (others are checked
  // before they run, by the dispatcher).
  const ServerConfig& config = server.config();
  if (!server.replication().is_replica() && config.min_replicas_to_write > 0 &&
      config.min_replicas_max_lag > 0 &&
      server.replication().GoodReplicas(run.caller.now_ms, config.min_replicas_max_lag) <
          config.min_replicas_to_write) {
    *error = "-" + std::string(kErrNoReplicas);
    return false;
  }
  return true;
}

}  // namespace

bool CallFromScript(ScriptRun& run, std::span<const std::string_view> args, std::string* reply,
                    std::string* error) {
  Dispatcher& dispatcher = *run.caller.dispatcher;
  const CommandTable& table = dispatcher.table();
  const CommandSpec* spec = LookUp(table, args);
  if (spec == nullptr || !spec->ArityAccepts(static_cast<int>(args.size()))) {
    *error = spec == nullptr ? "Unknown Redis command called from script"
                             : "Wrong number of args calling Redis command from script";
    return false;
  }
  if (spec->has_flag(kNoScript)) {
    *error = "This Redis command is not allowed from script";
    return false;
  }
  if (!WriteAllowed(run, *spec, error)) return false;
  if (!run.allow_oom && !run.wrote && run.oom_at_start && spec->has_flag(kDenyOom) &&
      run.caller.server.config().maxmemory > 0) {
    *error = "-" + std::string(kErrOom);
    return false;
  }
  if (spec->has_flag(kWrite)) run.wrote = true;

  reply->clear();
  protocol::ReplyWriter writer(reply, run.client.protocol_version);
  run.caller.server.set_propagation_targets(run.propagation_targets);
  CallRecorder recorder(table, run.caller.server, run.client, args, writer, run.caller.now_ms);
  recorder.set_spec(spec);
  recorder.Start();
  dispatcher.Run(*spec, args, run.client, writer, run.caller.now_ms);
  recorder.Finish();
  run.caller.server.set_propagation_targets(ServerState::kPropagateAll);
  // Redis tracks, for the caller, the keys its script command declared (not those the
  // script's commands name) once the script reads.
  if (spec->has_flag(kReadOnly) && run.caller.client.tracking != nullptr) {
    dispatcher.RememberReadKeys(run.caller.spec, run.caller.args, run.caller.client);
  }
  return true;
}

bool CommandExistsForScript(const ScriptRun& run, std::span<const std::string_view> args) {
  return LookUp(run.caller.dispatcher->table(), args) != nullptr;
}

}  // namespace ember::server::scripting
