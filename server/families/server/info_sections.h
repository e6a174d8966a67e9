// The sections of INFO, each appending Redis 7.0's "# Title\r\nfield:value\r\n..." text for
// its fields (info_command.cc picks and orders them). Field names are Redis's, so clients'
// readiness checks and monitoring tools parse them unchanged; fields for features Ember
// lacks (replicas, modules, Lua) report the values an idle Redis would.
#pragma once

#include <string>

#include "server/command/command_context.h"

namespace ember::server {

void ServerSection(CommandContext& ctx, std::string& out);
void ClientsSection(CommandContext& ctx, std::string& out);
void MemorySection(CommandContext& ctx, std::string& out);
void StatsSection(CommandContext& ctx, std::string& out);
void ReplicationSection(CommandContext& ctx, std::string& out);
void CpuSection(CommandContext& ctx, std::string& out);
void ModulesSection(CommandContext& ctx, std::string& out);
void CommandStatsSection(CommandContext& ctx, std::string& out);
void ErrorStatsSection(CommandContext& ctx, std::string& out);
void LatencyStatsSection(CommandContext& ctx, std::string& out);
void ClusterSection(CommandContext& ctx, std::string& out);
void KeyspaceSection(CommandContext& ctx, std::string& out);

// "1.50M"-style sizes as Redis prints them in *_human fields.
std::string HumanBytes(uint64_t bytes);
// The server's run id: 40 random hex characters, fixed for the life of the process.
const std::string& RunId();

}  // namespace ember::server
