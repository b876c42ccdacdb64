// ArpSocket: an AF_PACKET socket bound to one interface and to EtherType ARP, for the uplink
// module's ARP probe (arping-style: our own who-has for the gateway, answered by its is-at). It
// sends complete Ethernet frames and hands every ARP frame the interface receives to JavaScript,
// which matches replies. Receiving runs from libuv (polled_socket.h), draining a bounded number of
// frames per readable event; the event loop never blocks. Failures after opening are values: send
// returns -errno, receive errors go to the error callback as (errno, syscall). Opening throws.
//
// Why not the kernel's neighbour table: an entry stays REACHABLE for reachable_time (about 30 s)
// after one confirmation, so it cannot tell within a few probe intervals that the gateway stopped
// answering, and forcing re-resolution would disturb the traffic that uses the entry.
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "addon.h"
#include "polled_socket.h"

namespace vrrpd {

namespace {

constexpr size_t kFrameBufferBytes = 2048;
constexpr size_t kEthernetHeaderLength = 14;

class ArpSocket : public PolledSocket<ArpSocket> {
 public:
  static Napi::Function Define(Napi::Env env) { return DefineSocketClass(env, "ArpSocket"); }

  // new ArpSocket(ifindex, onFrame(frame), onError(errno, syscall))
  explicit ArpSocket(const Napi::CallbackInfo& info) : PolledSocket<ArpSocket>(info) {
    Napi::Env env = info.Env();
    if (info.Length() < 3 || !info[1].IsFunction() || !info[2].IsFunction()) {
      throw Napi::TypeError::New(env, "expected (ifindex, onFrame, onError)");
    }
    int64_t ifindex = RequireInteger(info, 0, "ifindex");
    if (ifindex <= 0 || ifindex > INT32_MAX) throw Napi::RangeError::New(env, "ifindex must be positive");
    ifindex_ = static_cast<int>(ifindex);
    context_ = "AF_PACKET ARP, ifindex " + std::to_string(ifindex_);

    fd_ = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ARP));
    if (fd_ < 0) throw SystemError(env, errno, "socket", context_);
    sockaddr_ll address{};
    address.sll_family = AF_PACKET;
    address.sll_protocol = htons(ETH_P_ARP);
    address.sll_ifindex = ifindex_;
    if (bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
      CloseDescriptor();
      throw SystemError(env, errno, "bind", context_);
    }
    StartPolling(env, fd_, info[1].As<Napi::Function>(), info[2].As<Napi::Function>(), kFrameBufferBytes,
                 "vrrpd.ArpSocket");
  }

 private:
  friend class PolledSocket<ArpSocket>;

  Napi::Value Send(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Napi::Buffer<uint8_t> frame = RequireBuffer(info, 0, "frame");
    if (frame.Length() < kEthernetHeaderLength) {
      throw Napi::RangeError::New(env, "frame is shorter than an Ethernet header (14 bytes)");
    }
    if (fd_ < 0) return Napi::Number::New(env, -EBADF);
    sockaddr_ll destination{};
    destination.sll_family = AF_PACKET;
    destination.sll_ifindex = ifindex_;
    destination.sll_protocol = htons(ETH_P_ARP);
    destination.sll_halen = 6;
    std::memcpy(destination.sll_addr, frame.Data(), 6);
    ssize_t sent = SendTo(fd_, frame.Data(), frame.Length(), &destination, sizeof(destination));
    return Napi::Number::New(env, static_cast<double>(sent));
  }

  /** One frame to JavaScript; false when the queue is empty or receiving failed. */
  bool ReceiveOne(Napi::Env env) {
    sockaddr_ll from{};
    ssize_t length = ReceiveFrom(fd_, buffer_, &from, sizeof(from));
    if (length < 0) return ReceiveFailed(env, "recvmsg");
    // Our own requests come back as PACKET_OUTGOING: not answers.
    if (from.sll_pkttype == PACKET_OUTGOING) return true;
    Deliver({Napi::Buffer<uint8_t>::Copy(env, buffer_.data(), static_cast<size_t>(length))});
    return true;
  }

  int ifindex_ = 0;
};

}  // namespace

Napi::Function DefineArpSocket(Napi::Env env) { return ArpSocket::Define(env); }

}  // namespace vrrpd
