// CallRecorder: what the dispatcher records about each command it runs — INFO
// commandstats (calls, usec, rejected and failed calls), errorstats (every error reply by
// its code), the slow log and the latency monitor. The dispatcher creates one per command;
// on destruction it inspects the reply the command appended, so gates added later are
// counted without further wiring.
//
// Cost per command: two CycleClock reads, one hash lookup for the row's stats slot, and a
// byte check of the reply; nothing allocates unless the command errs or is slow.
// Threading: engine thread only.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "protocol/reply_writer.h"
#include "server/command/command_table.h"
#include "server/core/client_state.h"
#include "server/core/cycle_clock.h"
#include "server/core/server_state.h"

namespace ember::server {

class CallRecorder {
 public:
  CallRecorder(const CommandTable& table, ServerState& server, ClientState& client,
               std::span<const std::string_view> args, protocol::ReplyWriter& reply, int64_t now_ms)
      : table_(table),
        server_(server),
        client_(client),
        args_(args),
        out_(*reply.buffer()),
        mark_(out_.size()),
        now_ms_(now_ms) {}
  CallRecorder(const CallRecorder&) = delete;
  CallRecorder& operator=(const CallRecorder&) = delete;
  ~CallRecorder();

  // The row the command resolved to (a subcommand row for containers); a reply appended
  // before Start() is a rejection of this row.
  void set_spec(const CommandSpec* spec) { spec_ = spec; }
  // Marks the handler's start and end; the time between is the call's duration.
  void Start() { start_ = CycleClock::Now(); }
  void Finish() {
    usec_ = CycleClock::MicrosBetween(start_, CycleClock::Now());
    ran_ = true;
  }

 private:
  const CommandTable& table_;
  ServerState& server_;
  ClientState& client_;
  std::span<const std::string_view> args_;
  std::string& out_;
  const size_t mark_;
  const int64_t now_ms_;
  const CommandSpec* spec_ = nullptr;
  CycleClock::Ticks start_ = 0;
  int64_t usec_ = 0;
  bool ran_ = false;
};

}  // namespace ember::server
