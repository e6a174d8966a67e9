// ReplyMuteGuard: applies CLIENT REPLY OFF / SKIP to one command's reply. A reply is dropped
// when replies were muted both before and after the command ran — so CLIENT REPLY ON answers
// +OK while OFF and SKIP answer nothing, as in Redis — and, for a top-level command, SKIP
// then moves on (SKIP's next command is muted, the one after is not).
//
// Declared before the command runs, destroyed after its reply was appended (and after
// statistics saw it: errors count even when not sent). Engine thread only.
#pragma once

#include <cstddef>
#include <string>

#include "server/core/client_state.h"

namespace ember::server {

class ReplyMuteGuard {
 public:
  // `top_level` is false for commands run by EXEC: only the connection's own commands
  // advance SKIP.
  ReplyMuteGuard(ClientState& client, std::string& out, bool top_level = true)
      : client_(client),
        out_(out),
        mark_(out.size()),
        muted_before_(client.replies_muted()),
        top_level_(top_level) {}
  ReplyMuteGuard(const ReplyMuteGuard&) = delete;
  ReplyMuteGuard& operator=(const ReplyMuteGuard&) = delete;
  ~ReplyMuteGuard() {
    if (muted_before_ && client_.replies_muted() && out_.size() > mark_) out_.resize(mark_);
    if (!top_level_) return;
    if (client_.reply_mode == ReplyMode::kSkip) {
      client_.reply_mode = ReplyMode::kOn;
    } else if (client_.reply_mode == ReplyMode::kSkipNext) {
      client_.reply_mode = ReplyMode::kSkip;
    }
  }

 private:
  ClientState& client_;
  std::string& out_;
  const size_t mark_;
  const bool muted_before_;
  const bool top_level_;
};

}  // namespace ember::server
