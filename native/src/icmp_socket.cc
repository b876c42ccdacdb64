// IcmpSocket: a raw ICMP (IPv4) or ICMPv6 socket for the uplink module's echo prober
// (src/kernel/icmp-prober.ts). It replaced the raw-socket package there (issue 15: raw-socket's
// JavaScript pulls in node:net, and its own addon, for what is one socket(), sendto() and a
// polled recvfrom()), so the daemon needs raw-socket for nothing.
//
// Optionally marked (SO_MARK): the prober probes each gateway through that gateway, by routing
// its marked packets with an ip rule. Sending takes the whole ICMP message; the kernel writes the
// IP header, and for ICMPv6 the checksum. Receiving hands over what the kernel gives a raw socket
// of the family: for IPv4 the whole packet, header included; for ICMPv6 the message alone; with
// the sender's address as text. Failures after opening are values: send returns -errno, receive
// errors go to the error callback as (errno, syscall). Opening throws.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "addon.h"
#include "polled_socket.h"

namespace vrrpd {

namespace {

class IcmpSocket : public PolledSocket<IcmpSocket> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineSocketClass(env, "IcmpSocket", {InstanceMethod("setMark", &IcmpSocket::SetMark)});
  }

  // new IcmpSocket(family (4 | 6), receiveBytes, onMessage(message, source), onError(errno, syscall))
  explicit IcmpSocket(const Napi::CallbackInfo& info) : PolledSocket<IcmpSocket>(info) {
    Napi::Env env = info.Env();
    if (info.Length() < 4 || !info[2].IsFunction() || !info[3].IsFunction()) {
      throw Napi::TypeError::New(env, "expected (family, receiveBytes, onMessage, onError)");
    }
    int64_t family = RequireInteger(info, 0, "family");
    if (family != 4 && family != 6) throw Napi::RangeError::New(env, "family must be 4 or 6");
    int64_t receive_bytes = RequireInteger(info, 1, "receiveBytes");
    if (receive_bytes < 64 || receive_bytes > 65536) throw Napi::RangeError::New(env, "receiveBytes out of range");
    ipv6_ = family == 6;
    context_ = ipv6_ ? "raw ICMPv6" : "raw ICMP";
    int protocol = ipv6_ ? static_cast<int>(IPPROTO_ICMPV6) : static_cast<int>(IPPROTO_ICMP);
    fd_ = socket(ipv6_ ? AF_INET6 : AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
    if (fd_ < 0) throw SystemError(env, errno, "socket", context_);
    StartPolling(env, fd_, info[2].As<Napi::Function>(), info[3].As<Napi::Function>(),
                 static_cast<size_t>(receive_bytes), ipv6_ ? "vrrpd.Icmp6Socket" : "vrrpd.IcmpSocket");
  }

 private:
  friend class PolledSocket<IcmpSocket>;

  // setMark(mark): SO_MARK on every packet sent from now on; throws (errno) if refused.
  Napi::Value SetMark(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    int64_t mark = RequireInteger(info, 0, "mark");
    if (mark < 0 || mark > UINT32_MAX) throw Napi::RangeError::New(env, "mark out of range");
    if (fd_ < 0) throw SystemError(env, EBADF, "setsockopt", "SO_MARK, " + context_);
    SetIntOption(env, SOL_SOCKET, SO_MARK, static_cast<int>(static_cast<uint32_t>(mark)), "SO_MARK");
    return env.Undefined();
  }

  // send(message, destination) → bytes sent, or -errno (EINVAL for an address that does not
  // parse). A link-local IPv6 destination may name its interface ("fe80::1%eth1").
  Napi::Value Send(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Napi::Buffer<uint8_t> message = RequireBuffer(info, 0, "message");
    std::string destination = RequireString(info, 1, "destination");
    if (fd_ < 0) return Napi::Number::New(env, -EBADF);
    ssize_t sent;
    if (ipv6_) {
      sockaddr_in6 address{};
      if (uv_ip6_addr(destination.c_str(), 0, &address) != 0) return Napi::Number::New(env, -EINVAL);
      sent = SendTo(fd_, message.Data(), message.Length(), &address, sizeof(address));
    } else {
      sockaddr_in address{};
      if (uv_ip4_addr(destination.c_str(), 0, &address) != 0) return Napi::Number::New(env, -EINVAL);
      sent = SendTo(fd_, message.Data(), message.Length(), &address, sizeof(address));
    }
    return Napi::Number::New(env, static_cast<double>(sent));
  }

  /** One message to JavaScript; false when the queue is empty or receiving failed. */
  bool ReceiveOne(Napi::Env env) {
    sockaddr_storage source{};
    ssize_t length = ReceiveFrom(fd_, buffer_, &source, sizeof(source));
    if (length < 0) return ReceiveFailed(env, "recvmsg");
    char text[INET6_ADDRSTRLEN] = "";
    if (source.ss_family == AF_INET6) {
      uv_ip6_name(reinterpret_cast<sockaddr_in6*>(&source), text, sizeof(text));
    } else {
      uv_ip4_name(reinterpret_cast<sockaddr_in*>(&source), text, sizeof(text));
    }
    Deliver({Napi::Buffer<uint8_t>::Copy(env, buffer_.data(), static_cast<size_t>(length)),
             Napi::String::New(env, text)});
    return true;
  }

  bool ipv6_ = false;
};

}  // namespace

Napi::Function DefineIcmpSocket(Napi::Env env) { return IcmpSocket::Define(env); }

}  // namespace vrrpd
