// ScriptRuntime: what the `redis` API inside Lua acts on, shared by EVAL scripts and
// function libraries (each has its own interpreter, as in Redis): the run in progress, and
// the generator behind math.random, which Redis keeps as one sequence for both.
//
// Engine thread only. Owned by the ServerState; the interpreters hold a pointer to it.
#pragma once

#include "server/scripting/script_random.h"

namespace ember::server::scripting {

struct ScriptRun;

class ScriptRuntime {
 public:
  // The run in progress (null between runs): what redis.call acts on.
  ScriptRun* current_run() const { return current_run_; }
  ScriptRandom& random() { return random_; }

  // Marks `run` as in progress for its lifetime (runs never nest: scripts cannot call EVAL
  // or FCALL).
  class RunScope {
   public:
    RunScope(ScriptRuntime& runtime, ScriptRun& run) : runtime_(runtime) {
      runtime_.current_run_ = &run;
    }
    RunScope(const RunScope&) = delete;
    RunScope& operator=(const RunScope&) = delete;
    ~RunScope() { runtime_.current_run_ = nullptr; }

   private:
    ScriptRuntime& runtime_;
  };

 private:
  ScriptRun* current_run_ = nullptr;
  ScriptRandom random_;
};

}  // namespace ember::server::scripting
