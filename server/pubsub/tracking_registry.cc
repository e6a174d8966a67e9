#include "server/pubsub/tracking_registry.h"

#include <algorithm>

#include "protocol/reply_writer.h"

namespace ember::server {
namespace {

// What a RESP2 client in pub/sub mode receives through a redirection: a message on
// `__redis__:invalidate` whose payload is the key list.
constexpr std::string_view kInvalidateMessageHead =
    "*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n";
constexpr std::string_view kInvalidatePushHead = ">2\r\n$10\r\ninvalidate\r\n";

// The key list of a BCAST invalidation: the keys collected for one prefix (sorted), but those
// `excluded_writer` changed itself (0: none excluded).
std::string RenderKeyList(const std::map<std::string, uint64_t, std::less<>>& keys,
                          uint64_t excluded_writer) {
  const auto wanted = [excluded_writer](const auto& entry) {
    return excluded_writer == 0 || entry.second != excluded_writer;
  };
  const auto count = std::count_if(keys.begin(), keys.end(), wanted);
  if (count == 0) return "";
  std::string out;
  protocol::ReplyWriter writer(&out, 2);
  writer.ArrayHeader(count);
  for (const auto& entry : keys) {
    if (wanted(entry)) writer.Bulk(entry.first);
  }
  return out;
}

std::string RenderOneKey(std::string_view key) {
  std::string out;
  protocol::ReplyWriter writer(&out, 2);
  writer.ArrayHeader(1);
  writer.Bulk(key);
  return out;
}

}  // namespace

void TrackingRegistry::Enable(ClientState& client, const TrackingOptions& options,
                              std::span<const std::string_view> prefixes) {
  if (client.tracking == nullptr) {
    client.tracking = std::make_unique<ClientTracking>();
    trackers_.push_back(&client);
    UpdateKeyspaceHook();
  }
  ClientTracking& tracking = *client.tracking;
  // As Redis's enableTracking: the mode flags start over, CACHING and the prefixes of an
  // earlier BCAST stay.
  tracking.redirect = options.redirect;
  tracking.broken_redirect = false;
  tracking.optin = options.optin;
  tracking.optout = options.optout;
  tracking.noloop = options.noloop;
  tracking.bcast = options.bcast;
  if (!options.bcast) return;
  const std::string_view every_key[] = {""};
  for (std::string_view prefix : prefixes.empty() ? std::span(every_key) : prefixes) {
    Prefix& entry = prefixes_[std::string(prefix)];
    if (std::find(entry.clients.begin(), entry.clients.end(), &client) != entry.clients.end()) {
      continue;
    }
    entry.clients.push_back(&client);
    auto at = std::lower_bound(tracking.prefixes.begin(), tracking.prefixes.end(), prefix);
    tracking.prefixes.insert(at, std::string(prefix));
  }
}

void TrackingRegistry::Disable(ClientState& client) {
  if (client.tracking == nullptr) return;
  for (const std::string& prefix : client.tracking->prefixes) {
    auto found = prefixes_.find(prefix);
    if (found == prefixes_.end()) continue;
    std::erase(found->second.clients, &client);
    if (found->second.clients.empty()) prefixes_.erase(found);
  }
  client.tracking.reset();
  std::erase(trackers_, &client);
  UpdateKeyspaceHook();
}

std::string TrackingRegistry::PrefixCollision(const ClientState& client,
                                              std::span<const std::string_view> prefixes) {
  const auto overlap = [](std::string_view a, std::string_view b) {
    return a.substr(0, b.size()) == b.substr(0, a.size());
  };
  for (size_t i = 0; i < prefixes.size(); ++i) {
    if (client.tracking != nullptr) {
      for (const std::string& existing : client.tracking->prefixes) {
        if (overlap(existing, prefixes[i])) {
          return "Prefix '" + std::string(prefixes[i]) + "' overlaps with an existing prefix '" +
                 existing + "'. Prefixes for a single client must not overlap.";
        }
      }
    }
    for (size_t j = i + 1; j < prefixes.size(); ++j) {
      if (overlap(prefixes[i], prefixes[j])) {
        return "Prefix '" + std::string(prefixes[i]) + "' overlaps with another provided prefix '" +
               std::string(prefixes[j]) + "'. Prefixes for a single client must not overlap.";
      }
    }
  }
  return "";
}

bool TrackingRegistry::RemembersReads(const ClientState& client) {
  const ClientTracking* tracking = client.tracking.get();
  if (tracking == nullptr || tracking->bcast) return false;
  if (tracking->optin) return tracking->caching;
  if (tracking->optout) return !tracking->caching;
  return true;
}

void TrackingRegistry::RememberKey(const ClientState& reader, std::string_view key) {
  auto found = table_.find(key);
  if (found == table_.end())
    found = table_.emplace(std::string(key), std::vector<uint64_t>()).first;
  std::vector<uint64_t>& ids = found->second;
  if (std::find(ids.begin(), ids.end(), reader.id) != ids.end()) return;
  ids.push_back(reader.id);
  ++total_items_;
}

void TrackingRegistry::Invalidate(std::string_view key, const ClientState* current) {
  if (!prefixes_.empty()) CollectForBroadcast(key, current);
  InvalidateTracked(key, current);
}

void TrackingRegistry::InvalidateTracked(std::string_view key, const ClientState* current) {
  auto found = table_.find(key);
  if (found == table_.end()) return;
  // Taken out first: the key is forgotten whatever happens to its readers.
  const std::vector<uint64_t> ids = std::move(found->second);
  total_items_ -= ids.size();
  std::string rendered = RenderOneKey(key);
  table_.erase(found);
  for (uint64_t id : ids) {
    ClientState* target = lookup_(id);
    // A client that turned tracking off, or switched to BCAST, since it read the key gets
    // nothing, as in Redis.
    if (target == nullptr || target->tracking == nullptr || target->tracking->bcast) continue;
    if (target->tracking->noloop && target == current) continue;
    Send(*target, rendered);
  }
}

void TrackingRegistry::CollectForBroadcast(std::string_view key, const ClientState* current) {
  const uint64_t writer = current == nullptr ? 0 : current->id;
  bool collected = false;
  for (auto& [prefix, entry] : prefixes_) {
    if (!key.starts_with(prefix)) continue;
    entry.keys.insert_or_assign(std::string(key), writer);
    collected = true;
  }
  if (collected && !broadcast_pending_) {
    broadcast_pending_ = true;
    if (schedule_broadcast_) schedule_broadcast_();
  }
}

void TrackingRegistry::DeliverBroadcasts() {
  broadcast_pending_ = false;
  for (auto& [prefix, entry] : prefixes_) {
    if (entry.keys.empty()) continue;
    const std::string every_key = RenderKeyList(entry.keys, 0);
    for (ClientState* client : entry.clients) {
      if (!client->tracking->noloop) {
        Send(*client, every_key);
        continue;
      }
      // A NOLOOP client hears only of keys that others changed.
      const std::string others = RenderKeyList(entry.keys, client->id);
      if (!others.empty()) Send(*client, others);
    }
    entry.keys.clear();
  }
}

void TrackingRegistry::InvalidateAll() {
  table_.clear();
  total_items_ = 0;
  // Every tracking client, whatever its mode. The null is in the tracking client's protocol,
  // as Redis renders it, even when a redirection carries it.
  for (ClientState* tracker : trackers_)
    Send(*tracker, tracker->protocol_version > 2 ? "_\r\n" : "$-1\r\n");
}

void TrackingRegistry::Send(ClientState& tracker, std::string_view keys) {
  ClientState* target = &tracker;
  const bool redirected = tracker.tracking->redirect != 0;
  if (redirected) {
    target = lookup_(tracker.tracking->redirect);
    if (target == nullptr) {
      tracker.tracking->broken_redirect = true;
      if (tracker.protocol_version > 2) {
        wakeups_.Post(tracker, [&](protocol::ReplyWriter& writer) {
          writer.PushHeader(2);
          writer.Bulk("tracking-redir-broken");
          writer.Integer(static_cast<int64_t>(tracker.tracking->redirect));
        });
      }
      return;
    }
  }
  if (target->protocol_version > 2) {
    wakeups_.PostBytes(*target, kInvalidatePushHead);
  } else if (redirected && target->pubsub_mode) {
    wakeups_.PostBytes(*target, kInvalidateMessageHead);
  } else {
    return;  // RESP2 has no pushes: a RESP2 client needs a redirection
  }
  wakeups_.PostBytes(*target, keys);
}

void TrackingRegistry::LimitKeys(uint64_t max_keys) {
  if (max_keys == 0 || table_.size() <= max_keys) {
    limit_rounds_over_ = 0;
    return;
  }
  for (unsigned effort = 100 * (limit_rounds_over_ + 1); effort > 0; --effort) {
    // A random bucket, then the next non-empty one: Redis's random walk, close enough.
    size_t bucket = random_() % table_.bucket_count();
    while (table_.bucket_size(bucket) == 0) bucket = (bucket + 1) % table_.bucket_count();
    const std::string key = table_.begin(bucket)->first;
    InvalidateTracked(key, nullptr);
    if (table_.size() <= max_keys) {
      limit_rounds_over_ = 0;
      return;
    }
  }
  ++limit_rounds_over_;
}

void TrackingRegistry::UpdateKeyspaceHook() {
  keyspace_.set_track_modifications(kTrackingUser, !trackers_.empty());
}

}  // namespace ember::server
