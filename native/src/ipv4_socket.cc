// Ipv4VrrpSocket: a raw IPv4 socket for VRRP (IP protocol 112, or 51 for auth_type AH) on one
// interface. It replaced the raw-socket package on the advert path (issue 15): raw-socket queues
// every send and writes it from a second event-loop turn once the socket polls writable, with
// an epoll_ctl on each side, and calls into JavaScript once per received packet; here a send is
// one non-blocking sendmsg from the caller's stack, and a burst of adverts is read in one
// readable event (polled_socket.h).
//
// Sending uses IP_HDRINCL: the caller writes the IPv4 header (src/kernel/transport.ts), because
// an advert's source is the interface's primary address or unicast_src_ip / mcast_src_ip, and
// its TTL (255) and TOS are fixed. The kernel fills in the header checksum (and the
// identification when it is zero).
//
// Receiving: a raw IPv4 socket gets the whole packet, header included. SO_BINDTODEVICE keeps
// other interfaces' packets away; the socket joins the requested groups on this ifindex only
// (ip_mreqn), and IP_MULTICAST_LOOP is off, so a router never hears its own adverts.
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "addon.h"
#include "advert_offload.h"
#include "polled_socket.h"

namespace vrrpd {

namespace {

/** An advert is at most 20 + 8 + 255 × 4 + 8 bytes (more with AH); anything longer is cut. */
constexpr size_t kReceiveBufferBytes = 4096;

in_addr ParseIpv4(Napi::Env env, const std::string& text, const char* what) {
  in_addr address;
  if (inet_pton(AF_INET, text.c_str(), &address) != 1) {
    throw Napi::TypeError::New(env, std::string(what) + " is not an IPv4 address: " + text);
  }
  return address;
}

struct SocketOptions {
  std::string ifname;
  int ifindex = 0;
  int protocol = 112;
  std::vector<std::string> groups;
  int multicast_ttl = 255;
  int receive_buffer_bytes = 0;  // 0: the system default
};

SocketOptions ReadOptions(Napi::Object options) {
  Napi::Env env = options.Env();
  SocketOptions result;
  result.ifname = InterfaceNameProperty(options);
  result.ifindex = IntegerProperty(options, "ifindex", 0, 1, INT32_MAX);
  result.protocol = IntegerProperty(options, "protocol", 112, 1, 255);
  result.multicast_ttl = IntegerProperty(options, "multicastTtl", 255, 0, 255);
  result.receive_buffer_bytes = IntegerProperty(options, "receiveBufferBytes", 0, 0, INT32_MAX);
  Napi::Value groups = options.Get("multicastGroups");
  if (groups.IsArray()) {
    Napi::Array list = groups.As<Napi::Array>();
    for (uint32_t i = 0; i < list.Length(); i++) {
      Napi::Value group = list.Get(i);
      if (!group.IsString()) throw Napi::TypeError::New(env, "multicastGroups must hold strings");
      result.groups.push_back(group.As<Napi::String>().Utf8Value());
    }
  } else if (!groups.IsUndefined() && !groups.IsNull()) {
    throw Napi::TypeError::New(env, "multicastGroups must be an array of strings or null");
  }
  return result;
}

class Ipv4VrrpSocket : public PolledSocket<Ipv4VrrpSocket> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineSocketClass(env, "Ipv4VrrpSocket",
                             {InstanceMethod("pace", &Ipv4VrrpSocket::Pace),
                              InstanceMethod("watch", &Ipv4VrrpSocket::Watch),
                              InstanceMethod("settle", &Ipv4VrrpSocket::Settle),
                              InstanceMethod("offloadCount", &Ipv4VrrpSocket::OffloadCount)});
  }

  // new Ipv4VrrpSocket(options, onPacket(packet, source), onError(errno, syscall)[, onOffloadEnded(id)])
  explicit Ipv4VrrpSocket(const Napi::CallbackInfo& info)
      : PolledSocket<Ipv4VrrpSocket>(info), offload_(this, &Ipv4VrrpSocket::OffloadEnded) {
    Napi::Env env = info.Env();
    if (info.Length() < 3 || !info[0].IsObject() || !info[1].IsFunction() || !info[2].IsFunction() ||
        (info.Length() > 3 && !info[3].IsFunction() && !info[3].IsUndefined())) {
      throw Napi::TypeError::New(env, "expected (options, onPacket, onError[, onOffloadEnded])");
    }
    if (info.Length() > 3 && info[3].IsFunction()) on_offload_ended_ = Napi::Persistent(info[3].As<Napi::Function>());
    SocketOptions options = ReadOptions(info[0].As<Napi::Object>());
    context_ = "ifindex " + std::to_string(options.ifindex) + " (" + options.ifname + ")";
    std::vector<in_addr> groups;
    for (const std::string& group : options.groups) {
      in_addr address = ParseIpv4(env, group, "multicast group");
      if (!IN_MULTICAST(ntohl(address.s_addr))) {
        throw Napi::RangeError::New(env, "multicast group is not multicast: " + group);
      }
      groups.push_back(address);
    }

    fd_ = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, options.protocol);
    if (fd_ < 0) {
      throw SystemError(env, errno, "socket",
                        "AF_INET raw protocol " + std::to_string(options.protocol) + ", " + context_);
    }
    try {
      Configure(env, options, groups);
    } catch (...) {
      CloseDescriptor();
      throw;
    }
    StartPolling(env, fd_, info[1].As<Napi::Function>(), info[2].As<Napi::Function>(), kReceiveBufferBytes,
                 "vrrpd.Ipv4VrrpSocket");
    offload_.Attach(Loop(), fd_);
  }

 private:
  friend class PolledSocket<Ipv4VrrpSocket>;

  void OnShutdown() { offload_.Halt(); }

  static void OffloadEnded(void* self, int32_t id) {
    auto* socket = static_cast<Ipv4VrrpSocket*>(self);
    socket->CallFromLoop(socket->on_offload_ended_, id);
  }

  static uint64_t Milliseconds(const Napi::CallbackInfo& info, size_t index, const char* name) {
    int64_t value = RequireInteger(info, index, name);
    if (value < 0 || value > 86400000) throw Napi::RangeError::New(info.Env(), std::string(name) + " out of range");
    return static_cast<uint64_t>(value);
  }

  static int32_t OffloadId(const Napi::CallbackInfo& info) {
    int64_t id = RequireInteger(info, 0, "id");
    if (id < 0 || id > INT32_MAX) throw Napi::RangeError::New(info.Env(), "id out of range");
    return static_cast<int32_t>(id);
  }

  // pace(id, packets[], destinations[], delayMs, intervalMs) → whether pacing started.
  Napi::Value Pace(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    int32_t id = OffloadId(info);
    if (info.Length() < 3 || !info[1].IsArray() || !info[2].IsArray()) {
      throw Napi::TypeError::New(env, "expected (id, packets, destinations, delayMs, intervalMs)");
    }
    Napi::Array packet_list = info[1].As<Napi::Array>();
    Napi::Array destination_list = info[2].As<Napi::Array>();
    std::vector<std::vector<uint8_t>> packets;
    std::vector<sockaddr_in> destinations;
    for (uint32_t i = 0; i < packet_list.Length(); i++) {
      Napi::Value packet = packet_list.Get(i);
      if (!packet.IsBuffer()) throw Napi::TypeError::New(env, "packets must be Buffers");
      auto buffer = packet.As<Napi::Buffer<uint8_t>>();
      packets.emplace_back(buffer.Data(), buffer.Data() + buffer.Length());
    }
    for (uint32_t i = 0; i < destination_list.Length(); i++) {
      Napi::Value destination = destination_list.Get(i);
      if (!destination.IsString()) throw Napi::TypeError::New(env, "destinations must be strings");
      sockaddr_in address{};
      address.sin_family = AF_INET;
      address.sin_addr = ParseIpv4(env, destination.As<Napi::String>().Utf8Value(), "destination");
      destinations.push_back(address);
    }
    uint64_t delay = Milliseconds(info, 3, "delayMs");
    uint64_t interval = Milliseconds(info, 4, "intervalMs");
    if (fd_ < 0) return Napi::Boolean::New(env, false);
    return Napi::Boolean::New(env, offload_.Pace(id, std::move(packets), std::move(destinations), delay, interval));
  }

  // watch(id, packet, delayMs, timeoutMs) → whether watching started. `packet` is the accepted
  // advert, whole, with its identification and header checksum zeroed.
  Napi::Value Watch(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    int32_t id = OffloadId(info);
    Napi::Buffer<uint8_t> packet = RequireBuffer(info, 1, "packet");
    uint64_t delay = Milliseconds(info, 2, "delayMs");
    uint64_t timeout = Milliseconds(info, 3, "timeoutMs");
    if (fd_ < 0) return Napi::Boolean::New(env, false);
    std::vector<uint8_t> bytes(packet.Data(), packet.Data() + packet.Length());
    return Napi::Boolean::New(env, offload_.Watch(id, std::move(bytes), delay, timeout));
  }

  // settle(id) → [count, lastMonotonicMs] (the entry ended), or null without such an entry.
  Napi::Value Settle(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    auto outcome = offload_.Settle(OffloadId(info));
    if (!outcome) return env.Null();
    Napi::Array result = Napi::Array::New(env, 2);
    result.Set(0u, Napi::Number::New(env, outcome->count));
    result.Set(1u, Napi::Number::New(env, static_cast<double>(outcome->last_ns) / 1e6));
    return result;
  }

  // offloadCount(id) → sends or repeats so far, or -1 without such an entry.
  Napi::Value OffloadCount(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), offload_.Count(OffloadId(info)));
  }

  void Configure(Napi::Env env, const SocketOptions& options, const std::vector<in_addr>& groups) {
    BindToDevice(env, options.ifname);
    if (options.receive_buffer_bytes > 0) {
      SetIntOption(env, SOL_SOCKET, SO_RCVBUF, options.receive_buffer_bytes, "SO_RCVBUF");
    }
    SetIntOption(env, IPPROTO_IP, IP_HDRINCL, 1, "IP_HDRINCL");
    ip_mreqn egress{};
    egress.imr_ifindex = options.ifindex;
    if (setsockopt(fd_, IPPROTO_IP, IP_MULTICAST_IF, &egress, sizeof(egress)) != 0) {
      throw SystemError(env, errno, "setsockopt", "IP_MULTICAST_IF, " + context_);
    }
    SetIntOption(env, IPPROTO_IP, IP_MULTICAST_LOOP, 0, "IP_MULTICAST_LOOP");
    SetIntOption(env, IPPROTO_IP, IP_MULTICAST_TTL, options.multicast_ttl, "IP_MULTICAST_TTL");
    for (size_t i = 0; i < groups.size(); i++) {
      ip_mreqn membership{};
      membership.imr_multiaddr = groups[i];
      membership.imr_ifindex = options.ifindex;
      if (setsockopt(fd_, IPPROTO_IP, IP_ADD_MEMBERSHIP, &membership, sizeof(membership)) != 0) {
        throw SystemError(env, errno, "setsockopt", "IP_ADD_MEMBERSHIP " + options.groups[i] + ", " + context_);
      }
    }
  }

  // send(packet, destination) → bytes sent, or -errno. `packet` is a whole IPv4 packet, header
  // included. Bad arguments are programming errors and throw.
  Napi::Value Send(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Napi::Buffer<uint8_t> packet = RequireBuffer(info, 0, "packet");
    std::string destination_text = RequireString(info, 1, "destination");
    if (fd_ < 0) return Napi::Number::New(env, -EBADF);
    sockaddr_in destination{};
    destination.sin_family = AF_INET;
    destination.sin_addr = ParseIpv4(env, destination_text, "destination");
    ssize_t sent = SendTo(fd_, packet.Data(), packet.Length(), &destination, sizeof(destination));
    return Napi::Number::New(env, static_cast<double>(sent));
  }

  /** One packet to JavaScript; false when the queue is empty or receiving failed. */
  bool ReceiveOne(Napi::Env env) {
    sockaddr_in source{};
    ssize_t length = ReceiveFrom(fd_, buffer_, &source, sizeof(source));
    if (length < 0) return ReceiveFailed(env, "recvmsg");
    if (offload_.TakeRepeat(buffer_.data(), static_cast<size_t>(length))) return true;
    char text[INET_ADDRSTRLEN];
    if (inet_ntop(AF_INET, &source.sin_addr, text, sizeof(text)) == nullptr) text[0] = '\0';
    Deliver({Napi::Buffer<uint8_t>::Copy(env, buffer_.data(), static_cast<size_t>(length)),
             Napi::String::New(env, text)});
    return true;
  }

  AdvertOffload offload_;
  Napi::FunctionReference on_offload_ended_;
};

}  // namespace

Napi::Function DefineIpv4VrrpSocket(Napi::Env env) { return Ipv4VrrpSocket::Define(env); }

}  // namespace vrrpd
