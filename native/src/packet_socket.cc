// sendPacketFrame(ifindex, frame): transmits one complete Ethernet frame (destination MAC,
// source MAC, EtherType, payload) on an interface through an AF_PACKET socket. Used for
// gratuitous ARP (RFC 5227 §3 / RFC 3768 §8.1.2), which an IP socket cannot send.
//
// One socket for the life of the process, opened on first use. It is not bound to any
// interface (each sendto names the ifindex), so it cannot go stale when an interface is
// re-created, and protocol 0 means it never receives, so it queues nothing. A socket per
// call would be simpler but closing an AF_PACKET socket waits for an RCU grace period
// (synchronize_net() in packet_release), about 15 ms on our test machine, blocking the event
// loop: 50 instances becoming MASTER with 5 GARPs each stalled the daemon for 3.6 s, long
// enough for its peer to miss adverts and become MASTER too.
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "addon.h"

namespace vrrpd {

namespace {

constexpr size_t kEthernetHeaderLength = 14;
constexpr size_t kMacLength = 6;

// Never closed: the kernel closes it at exit (and CLOEXEC keeps it out of scripts we spawn).
int SharedPacketSocket() {
  static int fd = -1;
  if (fd < 0) fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
  return fd;
}

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
  int socket_fd = SharedPacketSocket();
  if (socket_fd < 0) throw SystemError(env, errno, "socket", "AF_PACKET, " + context);

  struct sockaddr_ll destination;
  std::memset(&destination, 0, sizeof(destination));
  destination.sll_family = AF_PACKET;
  destination.sll_ifindex = static_cast<int>(ifindex);
  destination.sll_halen = kMacLength;
  // The frame already carries the EtherType in network byte order at offset 12.
  std::memcpy(&destination.sll_protocol, frame.Data() + 12, sizeof(destination.sll_protocol));
  std::memcpy(destination.sll_addr, frame.Data(), kMacLength);

  ssize_t sent = sendto(socket_fd, frame.Data(), frame.Length(), 0,
                        reinterpret_cast<struct sockaddr*>(&destination), sizeof(destination));
  if (sent < 0) throw SystemError(env, errno, "sendto", context);
  if (static_cast<size_t>(sent) != frame.Length()) {
    throw Napi::Error::New(env, "sendto (" + context + "): short write of " + std::to_string(sent) +
                                    " of " + std::to_string(frame.Length()) + " bytes");
  }
  return Napi::Number::New(env, static_cast<double>(sent));
}

}  // namespace vrrpd
