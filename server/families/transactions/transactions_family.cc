// The transactions family (Redis's "transactions" group, ACL category @transaction).
// transactions_docs.cc is generated.
#include "server/command/acl_categories.h"
#include "server/families/families.h"

namespace ember::server {

std::span<const CommandDocs> TransactionsCommandDocs();  // transactions_docs.cc

// Outside an anonymous namespace: EMBER_COMMAND_FILE declares each rows function in the
// enclosing namespace, where its file defines it.
constexpr CommandRowsSource kFiles[] = {
    EMBER_COMMAND_FILE(TransactionCommandRows),  // transaction_commands.cc: MULTI, EXEC...
};

constinit const CommandFamily kTransactionsFamily{"transactions", kAclTransaction, kFiles,
                                                  TransactionsCommandDocs};

}  // namespace ember::server
