// sendPacketFrame(ifindex, frame): transmits one complete Ethernet frame (destination MAC,
// source MAC, EtherType, payload) on an interface through an AF_PACKET socket. Used for
// gratuitous ARP (RFC 5227 §3 / RFC 3768 §8.1.2), which an IP socket cannot send.
//
// The socket lives only for the call: GARP bursts are rare (state transitions and the
// optional periodic refresh), and a per-call socket cannot leak or go stale when the
// interface is re-created. Protocol 0 means the socket never receives, so it queues nothing.
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "addon.h"

namespace vrrpd {

namespace {

constexpr size_t kEthernetHeaderLength = 14;
constexpr size_t kMacLength = 6;

class ScopedFd {
 public:
  explicit ScopedFd(int fd) : fd_(fd) {}
  ~ScopedFd() {
    if (fd_ >= 0) close(fd_);
  }
  ScopedFd(const ScopedFd&) = delete;
  ScopedFd& operator=(const ScopedFd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

Napi::Value SendPacketFrame(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int64_t ifindex = RequireInteger(info, 0, "ifindex");
  Napi::Buffer<uint8_t> frame = RequireBuffer(info, 1, "frame");
  if (ifindex <= 0 || ifindex > INT32_MAX) {
    throw Napi::RangeError::New(env, "ifindex must be a positive interface index");
  }
  if (frame.Length() < kEthernetHeaderLength) {
    throw Napi::RangeError::New(env, "frame is shorter than an Ethernet header (14 bytes)");
  }

  std::string context = "ifindex " + std::to_string(ifindex);
  ScopedFd socket_fd(socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0));
  if (socket_fd.get() < 0) throw SystemError(env, errno, "socket", "AF_PACKET, " + context);

  struct sockaddr_ll destination;
  std::memset(&destination, 0, sizeof(destination));
  destination.sll_family = AF_PACKET;
  destination.sll_ifindex = static_cast<int>(ifindex);
  destination.sll_halen = kMacLength;
  // The frame already carries the EtherType in network byte order at offset 12.
  std::memcpy(&destination.sll_protocol, frame.Data() + 12, sizeof(destination.sll_protocol));
  std::memcpy(destination.sll_addr, frame.Data(), kMacLength);

  ssize_t sent = sendto(socket_fd.get(), frame.Data(), frame.Length(), 0,
                        reinterpret_cast<struct sockaddr*>(&destination), sizeof(destination));
  if (sent < 0) throw SystemError(env, errno, "sendto", context);
  if (static_cast<size_t>(sent) != frame.Length()) {
    throw Napi::Error::New(env, "sendto (" + context + "): short write of " + std::to_string(sent) +
                                    " of " + std::to_string(frame.Length()) + " bytes");
  }
  return Napi::Number::New(env, static_cast<double>(sent));
}

}  // namespace vrrpd
