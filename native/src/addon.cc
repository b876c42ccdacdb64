// Module registration. The JS names here are the contract with src/kernel/native.ts
// (interface NativeBinding): rename both together.
#include "addon.h"

using namespace vrrpd;

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("sendPacketFrame", Napi::Function::New(env, SendPacketFrame, "sendPacketFrame"));
  exports.Set("notifySocketSend", Napi::Function::New(env, NotifySocketSend, "notifySocketSend"));
  exports.Set("mlockall", Napi::Function::New(env, LockMemory, "mlockall"));
  exports.Set("munlockall", Napi::Function::New(env, UnlockMemory, "munlockall"));
  exports.Set("setRealtimeScheduler",
              Napi::Function::New(env, SetRealtimeScheduler, "setRealtimeScheduler"));
  exports.Set("setPriority", Napi::Function::New(env, SetNicePriority, "setPriority"));
  exports.Set("interfaceIndex", Napi::Function::New(env, InterfaceIndex, "interfaceIndex"));
  exports.Set("interfaceHardwareAddress",
              Napi::Function::New(env, InterfaceHardwareAddress, "interfaceHardwareAddress"));
  exports.Set("openMarkedSocket", Napi::Function::New(env, OpenMarkedSocket, "openMarkedSocket"));
  exports.Set("enterNetworkNamespace",
              Napi::Function::New(env, EnterNetworkNamespace, "enterNetworkNamespace"));
  exports.Set("privateMountNamespace",
              Napi::Function::New(env, PrivateMountNamespace, "privateMountNamespace"));
  exports.Set("bindMount", Napi::Function::New(env, BindMount, "bindMount"));
  exports.Set("unmount", Napi::Function::New(env, Unmount, "unmount"));
  exports.Set("execve", Napi::Function::New(env, Execute, "execve"));
  exports.Set("Ipv4VrrpSocket", DefineIpv4VrrpSocket(env));
  exports.Set("Ipv6VrrpSocket", DefineIpv6VrrpSocket(env));
  exports.Set("ArpSocket", DefineArpSocket(env));
  exports.Set("IcmpSocket", DefineIcmpSocket(env));
  exports.Set("UnixStreamServer", DefineUnixStreamServer(env));
  exports.Set("unixSocketAnswers", Napi::Function::New(env, UnixSocketAnswers, "unixSocketAnswers"));
  return exports;
}

NODE_API_MODULE(vrrpd_native, Init)
