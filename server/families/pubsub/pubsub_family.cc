// The pub/sub family (Redis's "pubsub" group): subscriptions, publishing and PUBSUB
// introspection over server/pubsub/pubsub_registry.h. @pubsub comes from the pubsub flag,
// as in Redis, so PUBSUB HELP (no flag) is not in it. Each command file ends with its rows;
// pubsub_docs.cc is generated.
#include "server/families/families.h"

namespace ember::server {

std::span<const CommandDocs> PubSubCommandDocs();  // pubsub_docs.cc

// Outside an anonymous namespace: EMBER_COMMAND_FILE declares each rows function in the
// enclosing namespace, where its file defines it.
constexpr CommandRowsSource kFiles[] = {
    EMBER_COMMAND_FILE(PubSubCommandRows),        // pubsub_commands.cc: SUBSCRIBE, PUBLISH...
    EMBER_COMMAND_FILE(PubSubIntrospectionRows),  // pubsub_introspection_commands.cc: PUBSUB
};

constinit const CommandFamily kPubSubFamily{"pubsub", 0, kFiles, PubSubCommandDocs};

}  // namespace ember::server
