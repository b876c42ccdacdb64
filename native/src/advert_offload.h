// AdvertOffload: the steady state of VRRP, carried out without calling into JavaScript (issue 15,
// idle CPU). The daemon's core decides everything; once it has decided the same thing twice in a
// row it may hand the repetition to one interface's IPv4 socket:
//
// - pacing (a MASTER): send these packets (one per destination) at `delay` ms, then every
//   `interval` ms, keeping the cadence from when each send was due, as the core's advert timer
//   does (a send more than a whole interval late restarts the cadence from now);
// - watching (a BACKUP): a received packet equal to `bytes` but for the IP identification and
//   header checksum (which must be right) is counted and not handed to JavaScript; each one
//   moves a deadline to `timeout` ms later; the first deadline is `delay` ms away.
//
// An entry ends natively when a watch's deadline passes or a paced send fails: the owner's
// callback then gets the entry's id, and the daemon settles it. Settle(id) removes the entry and
// says how many sends or repeats it carried out and when the last one was (uv_hrtime, ns): the
// daemon gives that to the core as if it had seen them one by one, then decides again. Nothing
// here decides anything the core should.
#pragma once

#include <netinet/in.h>
#include <uv.h>

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

namespace vrrpd {

class AdvertOffload {
 public:
  /** Called from the event loop when an entry ended on its own (deadline passed, send failed). */
  using EndedCallback = void (*)(void* owner, int32_t id);

  struct Outcome {
    double count;
    uint64_t last_ns;
  };

  AdvertOffload(void* owner, EndedCallback ended) : owner_(owner), ended_(ended) {}
  ~AdvertOffload() { Clear(); }
  AdvertOffload(const AdvertOffload&) = delete;
  AdvertOffload& operator=(const AdvertOffload&) = delete;

  /** The loop and the descriptor paced packets go out on; before any Pace or Watch. */
  void Attach(uv_loop_t* loop, int fd) {
    loop_ = loop;
    fd_ = fd;
  }

  /** Starts (or replaces) pacing for `id`; false if the timer cannot start. */
  bool Pace(int32_t id, std::vector<std::vector<uint8_t>> packets, std::vector<sockaddr_in> destinations,
            uint64_t delay_ms, uint64_t interval_ms);

  /** Starts (or replaces) watching for `id`; `bytes` has the volatile header bytes zeroed. */
  bool Watch(int32_t id, std::vector<uint8_t> bytes, uint64_t delay_ms, uint64_t timeout_ms);

  /** Ends `id` and says what it did; nothing when there was no such entry. */
  std::optional<Outcome> Settle(int32_t id);

  /** How many sends or repeats `id` has carried out so far, or -1 without such an entry. */
  double Count(int32_t id) const;

  /** A received packet: true when a watch took it (count it, do not deliver it). */
  bool TakeRepeat(const uint8_t* data, size_t length);

  /**
   * The socket is closing: every entry ends (its timer closed: no sends, no repeats taken, no
   * callbacks), keeping what it did for Settle.
   */
  void Halt();

  /** Removes every entry. */
  void Clear();

 private:
  struct Entry {
    uv_timer_t timer;
    AdvertOffload* offload = nullptr;
    int32_t id = 0;
    bool pacing = false;
    /** False once it ended on its own: it waits for Settle and takes nothing any more. */
    bool active = true;
    std::vector<std::vector<uint8_t>> packets;
    std::vector<sockaddr_in> destinations;
    uint64_t interval_ms = 0;
    uint64_t due_ms = 0;
    std::vector<uint8_t> bytes;
    uint64_t timeout_ms = 0;
    double count = 0;
    uint64_t last_ns = 0;
  };

  Entry* Start(int32_t id, bool pacing, uint64_t delay_ms);
  void Remove(Entry* entry);
  void End(Entry* entry);
  static void OnPaceTimer(uv_timer_t* timer);
  static void OnWatchTimer(uv_timer_t* timer);

  void* owner_;
  EndedCallback ended_;
  uv_loop_t* loop_ = nullptr;
  int fd_ = -1;
  std::unordered_map<int32_t, Entry*> entries_;
  /** What halted entries did, until settled. */
  std::unordered_map<int32_t, Outcome> halted_;
  /** Watches by VRID (byte 21 of an IPv4 advert without options). */
  std::unordered_map<uint8_t, std::vector<Entry*>> watches_;
};

}  // namespace vrrpd
