// What advert_offload.h describes: pacing a master's adverts, and taking a backup's repeated
// adverts out of the path into JavaScript.
#include "advert_offload.h"

#include <cstring>

#include "polled_socket.h"

namespace vrrpd {

namespace {

constexpr size_t kIpv4HeaderBytes = 20;
/** The VRID of an advert without IP options: the second byte after the header. */
constexpr size_t kVridOffset = kIpv4HeaderBytes + 1;

/** Whether the 20-byte IPv4 header sums to all ones (its checksum is right). */
bool HeaderChecksumOk(const uint8_t* header) {
  uint32_t sum = 0;
  for (size_t i = 0; i < kIpv4HeaderBytes; i += 2) sum += (static_cast<uint32_t>(header[i]) << 8) | header[i + 1];
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return sum == 0xffff;
}

/**
 * `data` equals `kept` but for the identification (bytes 4, 5) and the header checksum (10, 11),
 * which `kept` holds as zeros: the only bytes two sends of the same advert differ in.
 */
bool SameAdvert(const uint8_t* data, const std::vector<uint8_t>& kept) {
  const uint8_t* k = kept.data();
  return std::memcmp(data, k, 4) == 0 && std::memcmp(data + 6, k + 6, 4) == 0 &&
         std::memcmp(data + 12, k + 12, kept.size() - 12) == 0;
}

}  // namespace

AdvertOffload::Entry* AdvertOffload::Start(int32_t id, bool pacing, uint64_t delay_ms) {
  auto found = entries_.find(id);
  if (found != entries_.end()) Remove(found->second);
  halted_.erase(id);
  if (loop_ == nullptr || fd_ < 0) return nullptr;
  auto* entry = new Entry;
  if (uv_timer_init(loop_, &entry->timer) != 0) {
    delete entry;
    return nullptr;
  }
  entry->timer.data = entry;
  entry->offload = this;
  entry->id = id;
  entry->pacing = pacing;
  entry->due_ms = uv_now(loop_) + delay_ms;
  if (uv_timer_start(&entry->timer, pacing ? &OnPaceTimer : &OnWatchTimer, delay_ms, 0) != 0) {
    uv_close(reinterpret_cast<uv_handle_t*>(&entry->timer),
             [](uv_handle_t* handle) { delete static_cast<Entry*>(handle->data); });
    return nullptr;
  }
  entries_[id] = entry;
  return entry;
}

bool AdvertOffload::Pace(int32_t id, std::vector<std::vector<uint8_t>> packets,
                         std::vector<sockaddr_in> destinations, uint64_t delay_ms, uint64_t interval_ms) {
  if (packets.empty() || packets.size() != destinations.size() || interval_ms == 0) return false;
  Entry* entry = Start(id, true, delay_ms);
  if (entry == nullptr) return false;
  entry->packets = std::move(packets);
  entry->destinations = std::move(destinations);
  entry->interval_ms = interval_ms;
  return true;
}

bool AdvertOffload::Watch(int32_t id, std::vector<uint8_t> bytes, uint64_t delay_ms, uint64_t timeout_ms) {
  if (bytes.size() <= kVridOffset || bytes[0] != 0x45 || timeout_ms == 0) return false;
  Entry* entry = Start(id, false, delay_ms);
  if (entry == nullptr) return false;
  entry->bytes = std::move(bytes);
  entry->timeout_ms = timeout_ms;
  watches_[entry->bytes[kVridOffset]].push_back(entry);
  return true;
}

std::optional<AdvertOffload::Outcome> AdvertOffload::Settle(int32_t id) {
  auto halted = halted_.find(id);
  if (halted != halted_.end()) {
    Outcome outcome = halted->second;
    halted_.erase(halted);
    return outcome;
  }
  auto found = entries_.find(id);
  if (found == entries_.end()) return std::nullopt;
  Outcome outcome{found->second->count, found->second->last_ns};
  Remove(found->second);
  return outcome;
}

double AdvertOffload::Count(int32_t id) const {
  auto found = entries_.find(id);
  if (found != entries_.end()) return found->second->count;
  auto halted = halted_.find(id);
  return halted == halted_.end() ? -1 : halted->second.count;
}

bool AdvertOffload::TakeRepeat(const uint8_t* data, size_t length) {
  if (watches_.empty() || length <= kVridOffset || data[0] != 0x45) return false;
  auto found = watches_.find(data[kVridOffset]);
  if (found == watches_.end()) return false;
  for (Entry* entry : found->second) {
    if (!entry->active || entry->bytes.size() != length) continue;
    if (!SameAdvert(data, entry->bytes) || !HeaderChecksumOk(data)) continue;
    entry->count++;
    entry->last_ns = uv_hrtime();
    uv_timer_start(&entry->timer, &OnWatchTimer, entry->timeout_ms, 0);
    return true;
  }
  return false;
}

void AdvertOffload::Halt() {
  fd_ = -1;
  while (!entries_.empty()) {
    Entry* entry = entries_.begin()->second;
    halted_[entry->id] = Outcome{entry->count, entry->last_ns};
    Remove(entry);
  }
}

void AdvertOffload::Clear() {
  while (!entries_.empty()) Remove(entries_.begin()->second);
}

void AdvertOffload::Remove(Entry* entry) {
  entries_.erase(entry->id);
  if (!entry->pacing) {
    auto found = watches_.find(entry->bytes.empty() ? 0 : entry->bytes[kVridOffset]);
    if (found != watches_.end()) {
      auto& list = found->second;
      for (size_t i = 0; i < list.size(); i++) {
        if (list[i] != entry) continue;
        list.erase(list.begin() + static_cast<std::ptrdiff_t>(i));
        break;
      }
      if (list.empty()) watches_.erase(found);
    }
  }
  uv_timer_stop(&entry->timer);
  uv_close(reinterpret_cast<uv_handle_t*>(&entry->timer),
           [](uv_handle_t* handle) { delete static_cast<Entry*>(handle->data); });
}

void AdvertOffload::End(Entry* entry) {
  entry->active = false;
  uv_timer_stop(&entry->timer);
  ended_(owner_, entry->id);
}

void AdvertOffload::OnPaceTimer(uv_timer_t* timer) {
  auto* entry = static_cast<Entry*>(timer->data);
  AdvertOffload* self = entry->offload;
  for (size_t i = 0; i < entry->packets.size(); i++) {
    const auto& packet = entry->packets[i];
    if (SendTo(self->fd_, packet.data(), packet.size(), &entry->destinations[i], sizeof(sockaddr_in)) < 0) {
      // The daemon sends this one itself, and reports why it failed.
      self->End(entry);
      return;
    }
  }
  entry->count++;
  entry->last_ns = uv_hrtime();
  uint64_t now = uv_now(self->loop_);
  uint64_t lateness = now > entry->due_ms ? now - entry->due_ms : 0;
  uint64_t delay = lateness < entry->interval_ms ? entry->interval_ms - lateness : entry->interval_ms;
  entry->due_ms = now + delay;
  uv_timer_start(&entry->timer, &OnPaceTimer, delay, 0);
}

void AdvertOffload::OnWatchTimer(uv_timer_t* timer) {
  auto* entry = static_cast<Entry*>(timer->data);
  entry->offload->End(entry);
}

}  // namespace vrrpd
