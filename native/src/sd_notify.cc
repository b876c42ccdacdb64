// notifySocketSend(path, state): one datagram to systemd's notification socket
// (sd_notify(3) protocol: newline-separated KEY=VALUE assignments such as "READY=1").
// The JS side reads $NOTIFY_SOCKET and decides "not under systemd"; this only sends.
// A leading '@' names a Linux abstract socket (first sun_path byte NUL, no terminator).
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <string>

#include "addon.h"

namespace vrrpd {

Napi::Value NotifySocketSend(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string path = RequireString(info, 0, "path");
  std::string state = RequireString(info, 1, "state");

  struct sockaddr_un address;
  std::memset(&address, 0, sizeof(address));
  address.sun_family = AF_UNIX;
  if (path.empty() || (path[0] != '/' && path[0] != '@')) {
    throw Napi::Error::New(env, "NOTIFY_SOCKET must be an absolute path or an @abstract name: " + path);
  }
  if (path.size() >= sizeof(address.sun_path)) {
    throw Napi::RangeError::New(env, "NOTIFY_SOCKET path is too long: " + path);
  }
  std::memcpy(address.sun_path, path.data(), path.size());
  socklen_t length = static_cast<socklen_t>(offsetof(struct sockaddr_un, sun_path) + path.size());
  if (path[0] == '@') {
    address.sun_path[0] = '\0';
  } else {
    length += 1;  // include the terminating NUL of a filesystem path
  }

  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw SystemError(env, errno, "socket", "AF_UNIX");
  ssize_t sent = sendto(fd, state.data(), state.size(), MSG_NOSIGNAL,
                        reinterpret_cast<struct sockaddr*>(&address), length);
  int send_errno = errno;
  close(fd);
  if (sent < 0) throw SystemError(env, send_errno, "sendto", path);
  return Napi::Boolean::New(env, true);
}

}  // namespace vrrpd
