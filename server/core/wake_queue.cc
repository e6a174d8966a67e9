#include "server/core/wake_queue.h"

#include <algorithm>

namespace ember::server {

void WakeQueue::PostBytes(ClientState& target, std::string_view bytes) {
  target.outbox.append(bytes);
  target.output_pending += bytes.size();
  Wake(target);
}

void WakeQueue::Wake(ClientState& target) {
  if (target.wake_queued) return;
  target.wake_queued = true;
  ready_.push_back(&target);
}

void WakeQueue::Forget(ClientState& client) {
  if (!client.wake_queued) return;
  client.wake_queued = false;
  std::erase(ready_, &client);
  std::replace(round_.begin(), round_.end(), &client, static_cast<ClientState*>(nullptr));
}

// Rounds swap buffers, so a steady state allocates nothing. A wake that reaches Deliver again
// (through a CommandScope of its own) returns at once: the loop below picks up what it queued.
void WakeQueue::DeliverQueued() {
  if (delivering_) return;
  delivering_ = true;
  while (!ready_.empty()) {
    round_.swap(ready_);
    for (ClientState*& slot : round_) {
      ClientState* target = slot;
      if (target == nullptr) continue;
      slot = nullptr;
      target->wake_queued = false;
      if (target->wake) target->wake();
    }
    round_.clear();
  }
  delivering_ = false;
}

}  // namespace ember::server
