// Ipv6VrrpSocket: a raw IPv6 socket for IP protocol 112 (VRRP over IPv6, RFC 5798 §5.1.2) on one
// interface, which the raw-socket package cannot provide: it needs recvmsg/sendmsg with RFC 3542
// ancillary data. An IPv6 raw socket never hands over the IPv6 header, so each received message
// comes with IPV6_PKTINFO (destination, arrival ifindex) and IPV6_HOPLIMIT, and each send names
// its source and ifindex (IPV6_PKTINFO) and its hop limit (IPV6_HOPLIMIT).
//
// Why no IPV6_CHECKSUM (keepalived sets offset 6, so the kernel fills in and verifies the VRRP
// checksum): with it the kernel silently discards a bad checksum (only sk_drops moves), and the
// daemon could not count and log `checksum` drops as it does for IPv4. We compute the checksum in
// TypeScript over the same pseudo-header, so the bytes on the wire are identical to keepalived's.
//
// Socket set-up, as keepalived's for its read and send sockets combined: SO_BINDTODEVICE (only
// this interface's packets), IPV6_MULTICAST_IF/HOPS (255), IPV6_UNICAST_HOPS, IPV6_MULTICAST_LOOP
// off (never hear our own adverts), IPV6_TCLASS 0xc0, and IPV6_ADD_MEMBERSHIP for the group on
// this ifindex when asked.
//
// Multicast we did not join: an IPv6 raw socket that is not bound to an address gets every
// protocol-112 packet the host accepts on the interface, including those for a group only some
// other socket joined (IPV6_MULTICAST_ALL does not apply to unbound raw sockets). keepalived
// binds its sockets to the group or the unicast source instead, but one socket here serves both
// the multicast and the unicast instances of an interface, so a message sent to a multicast
// group other than the one this socket joined is discarded here, unseen, as the kernel does for
// an IPv4 socket that did not join.
//
// Receiving runs from libuv (polled_socket.h): each readable event drains a bounded number of
// messages with non-blocking recvmsg and calls the JS packet callback once per message, all in
// one callback scope; the event loop never blocks. Failures after opening are values: send
// returns -errno, receive errors go to the JS error callback as (errno, syscall). Opening throws
// (errno, syscall).
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
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

constexpr int kVrrpProtocol = 112;
/** The largest IPv6 payload without jumbograms; an advert is at most 8 + 255 × 16 bytes. */
constexpr size_t kReceiveBufferBytes = 65535;

struct SocketOptions {
  std::string ifname;
  int ifindex = 0;
  std::string group;  // empty: do not join
  int hop_limit = 255;
  int traffic_class = 0xc0;
  int receive_buffer_bytes = 0;  // 0: the system default
};

in6_addr ParseIpv6(Napi::Env env, const std::string& text, const char* what) {
  in6_addr address;
  if (inet_pton(AF_INET6, text.c_str(), &address) != 1) {
    throw Napi::TypeError::New(env, std::string(what) + " is not an IPv6 address: " + text);
  }
  return address;
}

std::string FormatIpv6(const in6_addr& address) {
  char text[INET6_ADDRSTRLEN];
  if (inet_ntop(AF_INET6, &address, text, sizeof(text)) == nullptr) return std::string();
  return std::string(text);
}

SocketOptions ReadOptions(Napi::Object options) {
  Napi::Env env = options.Env();
  SocketOptions result;
  result.ifname = InterfaceNameProperty(options);
  result.ifindex = IntegerProperty(options, "ifindex", 0, 1, INT32_MAX);
  Napi::Value group = options.Get("multicastGroup");
  if (group.IsString()) {
    result.group = group.As<Napi::String>().Utf8Value();
  } else if (!group.IsUndefined() && !group.IsNull()) {
    throw Napi::TypeError::New(env, "multicastGroup must be a string or null");
  }
  result.hop_limit = IntegerProperty(options, "hopLimit", 255, 0, 255);
  result.traffic_class = IntegerProperty(options, "trafficClass", 0xc0, 0, 255);
  result.receive_buffer_bytes = IntegerProperty(options, "receiveBufferBytes", 0, 0, INT32_MAX);
  return result;
}

class Ipv6VrrpSocket : public PolledSocket<Ipv6VrrpSocket> {
 public:
  static Napi::Function Define(Napi::Env env) { return DefineSocketClass(env, "Ipv6VrrpSocket"); }

  // new Ipv6VrrpSocket(options, onPacket(data, source, destination, hopLimit, ifindex),
  //                    onError(errno, syscall))
  explicit Ipv6VrrpSocket(const Napi::CallbackInfo& info) : PolledSocket<Ipv6VrrpSocket>(info) {
    Napi::Env env = info.Env();
    if (info.Length() < 3 || !info[0].IsObject() || !info[1].IsFunction() || !info[2].IsFunction()) {
      throw Napi::TypeError::New(env, "expected (options, onPacket, onError)");
    }
    SocketOptions options = ReadOptions(info[0].As<Napi::Object>());
    ifindex_ = options.ifindex;
    context_ = "ifindex " + std::to_string(ifindex_) + " (" + options.ifname + ")";
    in6_addr group{};
    if (!options.group.empty()) {
      group = ParseIpv6(env, options.group, "multicastGroup");
      if (!IN6_IS_ADDR_MULTICAST(&group)) {
        throw Napi::RangeError::New(env, "multicastGroup is not multicast: " + options.group);
      }
    }

    fd_ = socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, kVrrpProtocol);
    if (fd_ < 0) throw SystemError(env, errno, "socket", "AF_INET6 raw protocol 112, " + context_);
    joined_ = !options.group.empty();
    group_ = group;
    try {
      Configure(env, options, group);
    } catch (...) {
      CloseDescriptor();
      throw;
    }
    StartPolling(env, fd_, info[1].As<Napi::Function>(), info[2].As<Napi::Function>(), kReceiveBufferBytes,
                 "vrrpd.Ipv6VrrpSocket");
  }

 private:
  friend class PolledSocket<Ipv6VrrpSocket>;

  void Configure(Napi::Env env, const SocketOptions& options, const in6_addr& group) {
    BindToDevice(env, options.ifname);
    if (options.receive_buffer_bytes > 0) {
      SetIntOption(env, SOL_SOCKET, SO_RCVBUF, options.receive_buffer_bytes, "SO_RCVBUF");
    }
    SetIntOption(env, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1, "IPV6_RECVPKTINFO");
    SetIntOption(env, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1, "IPV6_RECVHOPLIMIT");
    SetIntOption(env, IPPROTO_IPV6, IPV6_MULTICAST_IF, options.ifindex, "IPV6_MULTICAST_IF");
    SetIntOption(env, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, options.hop_limit, "IPV6_MULTICAST_HOPS");
    SetIntOption(env, IPPROTO_IPV6, IPV6_UNICAST_HOPS, options.hop_limit, "IPV6_UNICAST_HOPS");
    SetIntOption(env, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 0, "IPV6_MULTICAST_LOOP");
    SetIntOption(env, IPPROTO_IPV6, IPV6_TCLASS, options.traffic_class, "IPV6_TCLASS");
    if (!options.group.empty()) {
      ipv6_mreq membership{};
      membership.ipv6mr_multiaddr = group;
      membership.ipv6mr_interface = static_cast<unsigned int>(options.ifindex);
      if (setsockopt(fd_, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &membership, sizeof(membership)) != 0) {
        throw SystemError(env, errno, "setsockopt", "IPV6_ADD_MEMBERSHIP " + options.group + ", " + context_);
      }
    }
  }

  // send(payload, destination, source, hopLimit) → bytes sent, or -errno. An empty source lets
  // the kernel choose. Bad arguments are programming errors and throw.
  Napi::Value Send(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Napi::Buffer<uint8_t> payload = RequireBuffer(info, 0, "payload");
    std::string destination_text = RequireString(info, 1, "destination");
    std::string source_text = RequireString(info, 2, "source");
    int64_t hop_limit = RequireInteger(info, 3, "hopLimit");
    if (hop_limit < 0 || hop_limit > 255) throw Napi::RangeError::New(env, "hopLimit must be 0..255");
    if (fd_ < 0) return Napi::Number::New(env, -EBADF);

    sockaddr_in6 destination{};
    destination.sin6_family = AF_INET6;
    destination.sin6_addr = ParseIpv6(env, destination_text, "destination");
    // Link-local destinations (a peer's fe80::, ff02::12) are only meaningful with a scope.
    if (IN6_IS_ADDR_LINKLOCAL(&destination.sin6_addr) || IN6_IS_ADDR_MC_LINKLOCAL(&destination.sin6_addr)) {
      destination.sin6_scope_id = static_cast<uint32_t>(ifindex_);
    }

    in6_pktinfo packet_info{};
    if (!source_text.empty()) packet_info.ipi6_addr = ParseIpv6(env, source_text, "source");
    packet_info.ipi6_ifindex = static_cast<unsigned int>(ifindex_);
    int hops = static_cast<int>(hop_limit);

    alignas(cmsghdr) unsigned char control[CMSG_SPACE(sizeof(in6_pktinfo)) + CMSG_SPACE(sizeof(int))];
    std::memset(control, 0, sizeof(control));
    iovec iov{payload.Data(), payload.Length()};
    msghdr message{};
    message.msg_name = &destination;
    message.msg_namelen = sizeof(destination);
    message.msg_iov = &iov;
    message.msg_iovlen = 1;
    message.msg_control = control;
    message.msg_controllen = sizeof(control);
    cmsghdr* cmsg = CMSG_FIRSTHDR(&message);
    cmsg->cmsg_level = IPPROTO_IPV6;
    cmsg->cmsg_type = IPV6_PKTINFO;
    cmsg->cmsg_len = CMSG_LEN(sizeof(in6_pktinfo));
    std::memcpy(CMSG_DATA(cmsg), &packet_info, sizeof(packet_info));
    cmsg = CMSG_NXTHDR(&message, cmsg);
    cmsg->cmsg_level = IPPROTO_IPV6;
    cmsg->cmsg_type = IPV6_HOPLIMIT;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(cmsg), &hops, sizeof(hops));
    return Napi::Number::New(env, static_cast<double>(SendMessage(fd_, &message)));
  }

  /** One message to JavaScript; false when the queue is empty or receiving failed. */
  bool ReceiveOne(Napi::Env env) {
    sockaddr_in6 source{};
    alignas(cmsghdr) unsigned char control[256];
    iovec iov{buffer_.data(), buffer_.size()};
    msghdr message{};
    message.msg_name = &source;
    message.msg_namelen = sizeof(source);
    message.msg_iov = &iov;
    message.msg_iovlen = 1;
    message.msg_control = control;
    message.msg_controllen = sizeof(control);
    ssize_t length = ReceiveMessage(fd_, &message);
    if (length < 0) return ReceiveFailed(env, "recvmsg");
    in6_addr destination{};
    int hop_limit = -1;
    int arrival_ifindex = 0;
    for (cmsghdr* cmsg = CMSG_FIRSTHDR(&message); cmsg != nullptr; cmsg = CMSG_NXTHDR(&message, cmsg)) {
      if (cmsg->cmsg_level != IPPROTO_IPV6) continue;
      if (cmsg->cmsg_type == IPV6_PKTINFO && cmsg->cmsg_len >= CMSG_LEN(sizeof(in6_pktinfo))) {
        in6_pktinfo packet_info;
        std::memcpy(&packet_info, CMSG_DATA(cmsg), sizeof(packet_info));
        destination = packet_info.ipi6_addr;
        arrival_ifindex = static_cast<int>(packet_info.ipi6_ifindex);
      } else if (cmsg->cmsg_type == IPV6_HOPLIMIT && cmsg->cmsg_len >= CMSG_LEN(sizeof(int))) {
        std::memcpy(&hop_limit, CMSG_DATA(cmsg), sizeof(hop_limit));
      }
    }
    // A group this socket did not join (see the header comment): not ours.
    if (IN6_IS_ADDR_MULTICAST(&destination) && (!joined_ || !IN6_ARE_ADDR_EQUAL(&destination, &group_))) {
      return true;
    }
    Deliver({Napi::Buffer<uint8_t>::Copy(env, buffer_.data(), static_cast<size_t>(length)),
             Napi::String::New(env, FormatIpv6(source.sin6_addr)), Napi::String::New(env, FormatIpv6(destination)),
             Napi::Number::New(env, hop_limit), Napi::Number::New(env, arrival_ifindex)});
    return true;
  }

  int ifindex_ = 0;
  bool joined_ = false;
  in6_addr group_{};
};

}  // namespace

Napi::Function DefineIpv6VrrpSocket(Napi::Env env) { return Ipv6VrrpSocket::Define(env); }

}  // namespace vrrpd
