// Process-level tuning keepalived exposes as vrrp_rt_priority / vrrp_priority /
// vrrp_no_swap: a VRRP speaker must keep sending adverts on time even when the box is
// busy or swapping, or backups declare it dead (RFC 3768 §6.4.2, Master_Down_Interval).
//
// Linux applies sched_setscheduler(0, ...) and setpriority(PRIO_PROCESS, 0, ...) to the
// calling thread: call these from Node's main thread, which runs the event loop and
// therefore every timer and socket callback.
#include <sched.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include <cerrno>
#include <string>

#include "addon.h"

#ifndef SCHED_RESET_ON_FORK
#define SCHED_RESET_ON_FORK 0x40000000
#endif

namespace vrrpd {

Napi::Value LockMemory(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  bool current = RequireBoolean(info, 0, "current");
  bool future = RequireBoolean(info, 1, "future");
  int flags = (current ? MCL_CURRENT : 0) | (future ? MCL_FUTURE : 0);
  if (flags == 0) throw Napi::RangeError::New(env, "mlockall needs current and/or future");
  if (mlockall(flags) != 0) throw SystemError(env, errno, "mlockall", "flags " + std::to_string(flags));
  return env.Undefined();
}

// V8 releases memory with madvise(MADV_DONTNEED), which Linux refuses (EINVAL) on locked
// pages; V8 treats that as fatal when it tears its heap down. Undo the lock before exiting.
Napi::Value UnlockMemory(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (munlockall() != 0) throw SystemError(env, errno, "munlockall", "");
  return env.Undefined();
}

Napi::Value SetRealtimeScheduler(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string policy_name = RequireString(info, 0, "policy");
  int64_t priority = RequireInteger(info, 1, "priority");
  int policy;
  if (policy_name == "rr") {
    policy = SCHED_RR;
  } else if (policy_name == "fifo") {
    policy = SCHED_FIFO;
  } else {
    throw Napi::RangeError::New(env, "policy must be \"rr\" or \"fifo\", got " + policy_name);
  }
  int min = sched_get_priority_min(policy);
  int max = sched_get_priority_max(policy);
  if (priority < min || priority > max) {
    throw Napi::RangeError::New(env, "real-time priority must be within " + std::to_string(min) + ".." +
                                         std::to_string(max));
  }
  struct sched_param param;
  param.sched_priority = static_cast<int>(priority);
  // RESET_ON_FORK: notify and track scripts we spawn must not inherit real-time priority,
  // or a runaway script could starve the machine.
  if (sched_setscheduler(0, policy | SCHED_RESET_ON_FORK, &param) != 0) {
    throw SystemError(env, errno, "sched_setscheduler", policy_name + " " + std::to_string(priority));
  }
  return env.Undefined();
}

Napi::Value SetNicePriority(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int64_t nice = RequireInteger(info, 0, "nice");
  if (nice < -20 || nice > 19) throw Napi::RangeError::New(env, "nice value must be within -20..19");
  if (setpriority(PRIO_PROCESS, 0, static_cast<int>(nice)) != 0) {
    throw SystemError(env, errno, "setpriority", "nice " + std::to_string(nice));
  }
  return env.Undefined();
}

}  // namespace vrrpd
