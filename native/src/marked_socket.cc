// openMarkedSocket(family, stream, mark): a new, unconnected TCP or UDP socket (IPv4 or IPv6) that
// already carries a firewall mark (SO_MARK), returned as a file descriptor for node:net
// (`new Socket({ fd })`) or node:dgram (`bind({ fd })`) to adopt. The uplink module's TCP and DNS
// probes must leave through the gateway they check, which the fwmark rule of that gateway's probe
// table arranges; Node's sockets cannot set SO_MARK, and the mark must be on the socket before
// connect() (TCP chooses its route there). Non-blocking and close-on-exec, as libuv expects.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "addon.h"

namespace vrrpd {

Napi::Value OpenMarkedSocket(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int64_t family = RequireInteger(info, 0, "family");
  bool stream = RequireBoolean(info, 1, "stream");
  int64_t mark = RequireInteger(info, 2, "mark");
  if (family != 4 && family != 6) throw Napi::RangeError::New(env, "family must be 4 or 6");
  if (mark < 0 || mark > UINT32_MAX) throw Napi::RangeError::New(env, "mark must be a 32-bit unsigned integer");

  std::string context = std::string(stream ? "TCP" : "UDP") + (family == 4 ? "/IPv4" : "/IPv6") +
                        ", mark " + std::to_string(mark);
  int fd = socket(family == 4 ? AF_INET : AF_INET6,
                  (stream ? SOCK_STREAM : SOCK_DGRAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) throw SystemError(env, errno, "socket", context);
  unsigned int value = static_cast<unsigned int>(mark);
  if (setsockopt(fd, SOL_SOCKET, SO_MARK, &value, sizeof(value)) != 0) {
    int error = errno;
    close(fd);
    throw SystemError(env, error, "setsockopt", "SO_MARK, " + context);
  }
  return Napi::Number::New(env, fd);
}

}  // namespace vrrpd
