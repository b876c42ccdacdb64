// Declarations shared by the addon's translation units. Each exported function validates
// its arguments and throws a JS Error (errno + syscall attached) instead of returning codes.
#pragma once

#include <napi.h>

namespace vrrpd {

// packet_socket.cc
Napi::Value SendPacketFrame(const Napi::CallbackInfo& info);
// ipv4_socket.cc: the Ipv4VrrpSocket class (constructor)
Napi::Function DefineIpv4VrrpSocket(Napi::Env env);
// ipv6_socket.cc: the Ipv6VrrpSocket class (constructor)
Napi::Function DefineIpv6VrrpSocket(Napi::Env env);
// arp_socket.cc: the ArpSocket class (constructor)
Napi::Function DefineArpSocket(Napi::Env env);
// icmp_socket.cc: the IcmpSocket class (constructor)
Napi::Function DefineIcmpSocket(Napi::Env env);
// unix_server.cc: the UnixStreamServer class (constructor) and the stale-socket probe
Napi::Function DefineUnixStreamServer(Napi::Env env);
Napi::Value UnixSocketAnswers(const Napi::CallbackInfo& info);
// marked_socket.cc
Napi::Value OpenMarkedSocket(const Napi::CallbackInfo& info);
// sd_notify.cc
Napi::Value NotifySocketSend(const Napi::CallbackInfo& info);
// scheduling.cc
Napi::Value LockMemory(const Napi::CallbackInfo& info);
Napi::Value UnlockMemory(const Napi::CallbackInfo& info);
Napi::Value SetRealtimeScheduler(const Napi::CallbackInfo& info);
Napi::Value SetNicePriority(const Napi::CallbackInfo& info);
// interfaces.cc
Napi::Value InterfaceIndex(const Napi::CallbackInfo& info);
Napi::Value InterfaceHardwareAddress(const Napi::CallbackInfo& info);
// namespaces.cc
Napi::Value EnterNetworkNamespace(const Napi::CallbackInfo& info);
Napi::Value PrivateMountNamespace(const Napi::CallbackInfo& info);
Napi::Value BindMount(const Napi::CallbackInfo& info);
Napi::Value Unmount(const Napi::CallbackInfo& info);
Napi::Value Execute(const Napi::CallbackInfo& info);

// errors.cc
/** Builds an Error carrying `errno` and `syscall` (the loader adds `code`, e.g. "ENODEV"). */
Napi::Error SystemError(Napi::Env env, int error_number, const std::string& syscall,
                        const std::string& context);
/** Argument checks: throw a TypeError naming the argument when the type is wrong. */
std::string RequireString(const Napi::CallbackInfo& info, size_t index, const char* name);
int64_t RequireInteger(const Napi::CallbackInfo& info, size_t index, const char* name);
bool RequireBoolean(const Napi::CallbackInfo& info, size_t index, const char* name);
Napi::Buffer<uint8_t> RequireBuffer(const Napi::CallbackInfo& info, size_t index, const char* name);
/** An options object's integer property in min..max, `fallback` when absent (RangeError else). */
int IntegerProperty(Napi::Object object, const char* name, int fallback, int min, int max);
/** An options object's `ifname`: 1..15 characters (TypeError / RangeError else). */
std::string InterfaceNameProperty(Napi::Object object);

}  // namespace vrrpd
