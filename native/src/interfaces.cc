// Interface facts read with the process's own network namespace: if_nametoindex and
// SIOCGIFHWADDR. (/sys/class/net reflects the namespace sysfs was mounted in, which is
// not always ours; an ioctl on our own socket always is.)
#include <net/if.h>
#include <net/if_arp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "addon.h"

namespace vrrpd {

static std::string RequireInterfaceName(const Napi::CallbackInfo& info) {
  std::string name = RequireString(info, 0, "ifname");
  if (name.empty() || name.size() >= IFNAMSIZ) {
    throw Napi::RangeError::New(info.Env(), "interface name must be 1.." + std::to_string(IFNAMSIZ - 1) +
                                                " characters: " + name);
  }
  return name;
}

Napi::Value InterfaceIndex(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string name = RequireInterfaceName(info);
  unsigned int index = if_nametoindex(name.c_str());
  if (index == 0) throw SystemError(env, errno, "if_nametoindex", name);
  return Napi::Number::New(env, index);
}

/** Returns the six-byte hardware address as "aa:bb:cc:dd:ee:ff" (Ethernet-like links only). */
Napi::Value InterfaceHardwareAddress(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string name = RequireInterfaceName(info);
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw SystemError(env, errno, "socket", "AF_INET");
  struct ifreq request;
  std::memset(&request, 0, sizeof(request));
  std::memcpy(request.ifr_name, name.data(), name.size());
  int rc = ioctl(fd, SIOCGIFHWADDR, &request);
  int ioctl_errno = errno;
  close(fd);
  if (rc != 0) throw SystemError(env, ioctl_errno, "ioctl", "SIOCGIFHWADDR " + name);
  if (request.ifr_hwaddr.sa_family != ARPHRD_ETHER) {
    throw Napi::Error::New(env, "interface " + name + " is not Ethernet-like (ARPHRD " +
                                    std::to_string(request.ifr_hwaddr.sa_family) + ")");
  }
  const unsigned char* bytes = reinterpret_cast<const unsigned char*>(request.ifr_hwaddr.sa_data);
  char text[18];
  std::snprintf(text, sizeof(text), "%02x:%02x:%02x:%02x:%02x:%02x", bytes[0], bytes[1], bytes[2],
                bytes[3], bytes[4], bytes[5]);
  return Napi::String::New(env, text);
}

}  // namespace vrrpd
