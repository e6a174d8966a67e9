// The command families Ember has, one folder each under server/families/<group>/, and the
// one list that joins them into the command table (families.cc). Adding a family is a
// folder with a <group>_family.cc defining its CommandFamily, a line here and a line in
// families.cc.
#pragma once

#include <span>

#include "server/command/command_family.h"

namespace ember::server {

extern const CommandFamily kStringFamily;        // string/
extern const CommandFamily kGenericFamily;       // generic/: keyspace commands
extern const CommandFamily kServerFamily;        // server/: administration, introspection
extern const CommandFamily kConnectionFamily;    // connection/
extern const CommandFamily kTransactionsFamily;  // transactions/
extern const CommandFamily kScriptingFamily;     // scripting/
extern const CommandFamily kSetFamily;           // set/
extern const CommandFamily kHashFamily;          // hash/
extern const CommandFamily kListFamily;          // list/
extern const CommandFamily kZSetFamily;          // zset/: the "sorted-set" group
extern const CommandFamily kPubSubFamily;        // pubsub/
extern const CommandFamily kBitmapFamily;        // bitmap/: bit-level commands on strings
extern const CommandFamily kHyperLogLogFamily;   // hyperloglog/: HLL counters in strings
extern const CommandFamily kGeoFamily;           // geo/: positions in sorted sets
extern const CommandFamily kStreamFamily;        // stream/: append-only logs of entries

// Every family, in the order the command table lists them.
std::span<const CommandFamily* const> AllFamilies();

}  // namespace ember::server
