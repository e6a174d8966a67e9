#include "persistence/aof_batch.h"

namespace ember::persistence {

void ReadAofBatch(AofCommandReader& reader, size_t max_commands, AofBatch* batch) {
  if (batch->commands.size() < max_commands) {
    batch->commands.resize(max_commands);
    batch->starts.resize(max_commands);
  }
  batch->count = 0;
  batch->result = AofCommandReader::Result::kCommand;
  batch->error = Status::Ok();
  while (batch->count < max_commands) {
    batch->result = reader.Next(&batch->commands[batch->count], &batch->error);
    if (batch->result != AofCommandReader::Result::kCommand) break;
    batch->starts[batch->count++] = reader.command_start();
  }
  batch->valid_up_to = reader.valid_up_to();
}

}  // namespace ember::persistence
