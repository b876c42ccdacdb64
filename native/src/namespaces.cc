// Entering the network namespace a configuration names (keepalived's net_namespace), and the
// private mount namespace that goes with it, then replacing the process image.
//
// Why an exec: setns(2) and unshare(2) change the namespaces of the calling thread only, and a
// Node process already has threads (libuv's pool, V8's platform workers) that would stay behind,
// so a socket opened or a file read from one of them would live in the old namespace. execve(2)
// keeps the calling thread's namespaces for the whole new image and ends the other threads; the
// caller therefore calls these functions one after the other, synchronously, from the main
// thread, and execs without returning to the event loop (src/daemon/netns-entry.ts).
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

#include "addon.h"

namespace vrrpd {

// setns(2) into the network namespace bound at `path` (/run/netns/NAME).
Napi::Value EnterNetworkNamespace(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string path = RequireString(info, 0, "path");
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw SystemError(env, errno, "open", path);
  if (setns(fd, CLONE_NEWNET) != 0) {
    int error = errno;
    close(fd);
    throw SystemError(env, error, "setns", path);
  }
  close(fd);
  return env.Undefined();
}

// A mount namespace of the calling thread's own whose mounts no longer propagate back: what is
// mounted afterwards stays private (systemd makes / shared, so without MS_SLAVE a bind mount
// would show in the host's namespace).
Napi::Value PrivateMountNamespace(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (unshare(CLONE_NEWNS) != 0) throw SystemError(env, errno, "unshare", "CLONE_NEWNS");
  if (mount("", "/", nullptr, MS_REC | MS_SLAVE, nullptr) != 0)
    throw SystemError(env, errno, "mount", "/ MS_REC|MS_SLAVE");
  return env.Undefined();
}

Napi::Value BindMount(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string source = RequireString(info, 0, "source");
  std::string target = RequireString(info, 1, "target");
  if (mount(source.c_str(), target.c_str(), nullptr, MS_BIND, nullptr) != 0)
    throw SystemError(env, errno, "mount", source + " on " + target);
  return env.Undefined();
}

// Lazy unmount: a notify script still running from the directory does not keep it mounted.
Napi::Value Unmount(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string target = RequireString(info, 0, "target");
  if (umount2(target.c_str(), MNT_DETACH) != 0) throw SystemError(env, errno, "umount2", target);
  return env.Undefined();
}

static std::vector<std::string> RequireStrings(const Napi::CallbackInfo& info, size_t index,
                                               const char* name) {
  if (index >= info.Length() || !info[index].IsArray())
    throw Napi::TypeError::New(info.Env(), std::string(name) + " must be an array of strings");
  Napi::Array array = info[index].As<Napi::Array>();
  std::vector<std::string> strings;
  for (uint32_t i = 0; i < array.Length(); i++) {
    Napi::Value value = array.Get(i);
    if (!value.IsString())
      throw Napi::TypeError::New(info.Env(), std::string(name) + " must be an array of strings");
    strings.push_back(value.As<Napi::String>().Utf8Value());
  }
  return strings;
}

static std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (std::string& s : strings) pointers.push_back(s.data());
  pointers.push_back(nullptr);
  return pointers;
}

// execve(2): returns only by throwing, when the exec failed.
Napi::Value Execute(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string file = RequireString(info, 0, "file");
  std::vector<std::string> argv = RequireStrings(info, 1, "argv");
  std::vector<std::string> envp = RequireStrings(info, 2, "env");
  std::vector<char*> argv_pointers = Pointers(argv);
  std::vector<char*> env_pointers = Pointers(envp);
  // Node marks its standard streams close-on-exec; the new image must keep them (the journal's
  // stream, the caller's pipes).
  for (int fd = 0; fd <= 2; fd++) {
    int flags = fcntl(fd, F_GETFD);
    if (flags >= 0 && (flags & FD_CLOEXEC)) fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC);
  }
  execve(file.c_str(), argv_pointers.data(), env_pointers.data());
  throw SystemError(env, errno, "execve", file);
}

}  // namespace vrrpd
