// The scripting family (Redis's "scripting" group, ACL category @scripting): Lua scripts
// through EVAL and SCRIPT, and functions through FUNCTION and FCALL (the interpreters live
// in server/scripting/). scripting_docs.cc is generated.
#include "server/command/acl_categories.h"
#include "server/families/families.h"

namespace ember::server {

std::span<const CommandDocs> ScriptingCommandDocs();  // scripting_docs.cc

// Outside an anonymous namespace: EMBER_COMMAND_FILE declares each rows function in the
// enclosing namespace, where its file defines it.
constexpr CommandRowsSource kFiles[] = {
    EMBER_COMMAND_FILE(EvalCommandRows),       // eval_commands.cc: EVAL, EVALSHA, *_RO
    EMBER_COMMAND_FILE(ScriptingCommandRows),  // script_commands.cc: SCRIPT
    EMBER_COMMAND_FILE(FunctionCommandRows),   // function_commands.cc: FUNCTION, FCALL*
};

constinit const CommandFamily kScriptingFamily{"scripting", kAclScripting, kFiles,
                                               ScriptingCommandDocs};

}  // namespace ember::server
