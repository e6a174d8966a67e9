// ScriptRuntime: what the `redis` API inside Lua acts on, shared by EVAL scripts and
// function libraries (each has its own interpreter, as in Redis): the run in progress, and
// the generator behind math.random, which Redis keeps as one sequence for both.
//
// It also knows whether the run is busy: once a script has run longer than
// busy-reply-threshold, the event loop is served from inside the script (script_busy.h)
// and other clients get BUSY until it ends; SCRIPT KILL / FUNCTION KILL ask it to stop.
//
// Engine thread only. Owned by the ServerState; the interpreters hold a pointer to it.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "server/scripting/script_random.h"

namespace ember::server::scripting {

struct ScriptRun;

class ScriptRuntime {
 public:
  // The run in progress (null between runs): what redis.call acts on.
  ScriptRun* current_run() const { return current_run_; }
  ScriptRandom& random() { return random_; }

  // Scratch space each redis.call reuses, kept across runs so a call allocates nothing once
  // warm: the command's arguments (number arguments rendered into number_arguments) and its
  // reply's bytes.
  struct CallScratch {
    std::vector<std::string_view> arguments;
    std::vector<std::string> number_arguments;
    std::string reply;
  };
  CallScratch& scratch() { return scratch_; }

  // A run is in progress and has passed busy-reply-threshold.
  bool busy() const { return current_run_ != nullptr && timed_out_; }
  void set_timed_out() { timed_out_ = true; }
  // SCRIPT KILL / FUNCTION KILL accepted: the run stops at its next check.
  void RequestKill() { kill_requested_ = true; }
  bool kill_requested() const { return kill_requested_; }
  // Milliseconds since the run started (steady clock).
  int64_t ElapsedMs() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 started_)
        .count();
  }

  // Marks `run` as in progress for its lifetime (runs never nest: scripts cannot call EVAL
  // or FCALL).
  class RunScope {
   public:
    RunScope(ScriptRuntime& runtime, ScriptRun& run) : runtime_(runtime) {
      runtime_.current_run_ = &run;
      runtime_.started_ = std::chrono::steady_clock::now();
      runtime_.timed_out_ = false;
      runtime_.kill_requested_ = false;
    }
    RunScope(const RunScope&) = delete;
    RunScope& operator=(const RunScope&) = delete;
    ~RunScope() {
      runtime_.current_run_ = nullptr;
      runtime_.timed_out_ = false;
      runtime_.kill_requested_ = false;
    }

   private:
    ScriptRuntime& runtime_;
  };

 private:
  ScriptRun* current_run_ = nullptr;
  ScriptRandom random_;
  CallScratch scratch_;
  std::chrono::steady_clock::time_point started_;
  bool timed_out_ = false;
  bool kill_requested_ = false;
};

}  // namespace ember::server::scripting
