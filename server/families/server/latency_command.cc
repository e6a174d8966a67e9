// LATENCY LATEST / HISTORY / RESET / DOCTOR / HELP over ServerState's LatencyMonitor.
// Events are recorded only while latency-monitor-threshold is above 0 (off by default).
#include <fmt/format.h>

#include <span>
#include <vector>

#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/command/help_reply.h"
#include "server/core/server_state.h"

namespace ember::server {
namespace {

void LatencyLatestCommand(CommandContext& ctx) {
  const auto& events = ctx.server.latency_monitor().events();
  ctx.reply.ArrayHeader(static_cast<int64_t>(events.size()));
  for (const LatencyMonitor::Event& event : events) {
    ctx.reply.ArrayHeader(4);
    ctx.reply.Bulk(event.name);
    ctx.reply.Integer(event.history.back().unix_seconds);
    ctx.reply.Integer(event.history.back().latency_ms);
    ctx.reply.Integer(event.max_ms);
  }
}

void LatencyHistoryCommand(CommandContext& ctx) {
  const LatencyMonitor::Event* event = ctx.server.latency_monitor().Find(ctx.args[2]);
  if (event == nullptr) {
    ctx.reply.ArrayHeader(0);
    return;
  }
  ctx.reply.ArrayHeader(static_cast<int64_t>(event->history.size()));
  for (const LatencyMonitor::Sample& sample : event->history) {
    ctx.reply.ArrayHeader(2);
    ctx.reply.Integer(sample.unix_seconds);
    ctx.reply.Integer(sample.latency_ms);
  }
}

void LatencyResetCommand(CommandContext& ctx) {
  std::vector<std::string_view> names(ctx.args.begin() + 2, ctx.args.end());
  ctx.reply.Integer(static_cast<int64_t>(ctx.server.latency_monitor().Reset(names)));
}

void LatencyDoctorCommand(CommandContext& ctx) {
  const auto& events = ctx.server.latency_monitor().events();
  std::string text;
  if (ctx.server.config().latency_monitor_threshold == 0) {
    text =
        "The latency monitor is off: set latency-monitor-threshold to a number of "
        "milliseconds to record events above it.";
  } else if (events.empty()) {
    text = "No latency event has reached the threshold.";
  } else {
    for (const auto& event : events) {
      text += fmt::format("{}: latest {} ms, worst {} ms over {} samples.\n", event.name,
                          event.history.back().latency_ms, event.max_ms, event.history.size());
    }
  }
  ctx.reply.Verbatim("txt", text);
}

void LatencyHelpCommand(CommandContext& ctx) {
  ReplyHelp(ctx, "LATENCY",
            {"DOCTOR", "    Describe the recorded latency events in words.", "HISTORY <event>",
             "    Return the [unix time, milliseconds] samples of <event>.", "LATEST",
             "    Return [event, unix time, latest ms, worst ms] for each event.",
             "RESET [<event> ...]", "    Clear the samples of the named events, or all."});
}

}  // namespace

// clang-format off
std::span<const CommandSpec> LatencyCommandRows() {
  static constexpr CommandSpec kLatencySubcommands[] = {
      {.name = "latency|latest", .arity = 2, .flags = kAdmin | kNoScript | kLoading | kStale,
       .since = "2.8.13", .summary = "Returns the latest latency spike of each monitored event.",
       .handler = LatencyLatestCommand},
      {.name = "latency|history", .arity = 3, .flags = kAdmin | kNoScript | kLoading | kStale,
       .since = "2.8.13", .summary = "Returns the latency spikes recorded for one event.",
       .handler = LatencyHistoryCommand},
      {.name = "latency|reset", .arity = -2, .flags = kAdmin | kNoScript | kLoading | kStale,
       .since = "2.8.13", .summary = "Clears the latency samples of some or all events.",
       .handler = LatencyResetCommand},
      {.name = "latency|doctor", .arity = 2, .flags = kAdmin | kNoScript | kLoading | kStale,
       .since = "2.8.13", .summary = "Describes the latency events in words.",
       .handler = LatencyDoctorCommand},
      {.name = "latency|help", .arity = 2, .flags = kLoading | kStale, .since = "2.8.13",
       .summary = "Describes the LATENCY subcommands.", .handler = LatencyHelpCommand},
  };
  static constexpr CommandSpec kRows[] = {
      {.name = "latency", .arity = -2, .since = "2.8.13", .summary = "Reads the latency monitor.",
       .handler = nullptr, .subcommands = kLatencySubcommands},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
