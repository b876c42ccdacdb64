// PolledSocket<Derived>: what the addon's receiving sockets (IPv4 and IPv6 VRRP, ARP) share. The
// derived class opens and configures a non-blocking descriptor and hands it to StartPolling;
// from then on libuv watches it (uv_poll) and each readable event drains up to
// kMaxMessagesPerEvent messages through Derived::ReceiveOne, then returns to the event loop.
//
// Calling into JavaScript: one callback scope per readable event, not one per message, and none
// for an event whose messages all stayed in C++ (repeats an offload took, advert_offload.h). A
// burst of adverts (a master sends all its instances' adverts in the same loop turn) costs one
// entry into JavaScript's task queues (nextTick, microtasks) instead of one per packet, which is
// where most of a MakeCallback's time goes (issue 15, idle CPU of a backup).
//
// Lifetime: while polling, libuv holds a pointer to the object, so it keeps a reference on its
// JS wrapper; close() (or environment teardown, through the cleanup hook) stops polling, closes
// the descriptor and drops the reference. Failures after opening are values: sends return
// -errno, receive and poll errors go to the JS error callback as (errno, syscall).
#pragma once

#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#include <cerrno>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "addon.h"

namespace vrrpd {

template <typename Derived>
class PolledSocket : public Napi::ObjectWrap<Derived> {
 public:
  /** Messages read per readable event before yielding to the rest of the event loop. */
  static constexpr int kMaxMessagesPerEvent = 64;

  explicit PolledSocket(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Derived>(info) {}

  using Wrap = Napi::ObjectWrap<Derived>;
  using Method = Napi::Value (Derived::*)(const Napi::CallbackInfo&);

  /** The JS class: the derived class's send(...) and close(), and any `more` methods. */
  static Napi::Function DefineSocketClass(Napi::Env env, const char* name,
                                          std::vector<typename Wrap::PropertyDescriptor> more = {}) {
    more.push_back(Wrap::InstanceMethod("send", static_cast<Method>(&Derived::Send)));
    more.push_back(Wrap::InstanceMethod("close", static_cast<Method>(&PolledSocket::Close)));
    return Wrap::DefineClass(env, name, more);
  }

  // Runs only once nothing references the object: after close(), or at environment teardown.
  ~PolledSocket() override {
    if (fd_ >= 0) close(fd_);
  }

 protected:
  /** Takes `fd` (closing it if polling cannot start) and starts delivering to the callbacks. */
  void StartPolling(Napi::Env env, int fd, Napi::Function on_message, Napi::Function on_error,
                    size_t buffer_bytes, const char* resource_name) {
    fd_ = fd;
    uv_loop_t* loop = nullptr;
    if (napi_get_uv_event_loop(env, &loop) != napi_ok || loop == nullptr) {
      CloseDescriptor();
      throw Napi::Error::New(env, "cannot get the libuv event loop");
    }
    poll_ = new uv_poll_t;
    int rc = uv_poll_init(loop, poll_, fd_);
    if (rc != 0) {
      delete poll_;
      poll_ = nullptr;
    } else {
      poll_->data = this;
      rc = uv_poll_start(poll_, UV_READABLE, &PolledSocket::OnReadable);
      if (rc != 0) StopPolling();
    }
    if (rc != 0) {
      CloseDescriptor();
      throw SystemError(env, -rc, "uv_poll", context_);
    }
    on_message_ = Napi::Persistent(on_message);
    on_error_ = Napi::Persistent(on_error);
    async_context_ = std::make_unique<Napi::AsyncContext>(env, resource_name);
    buffer_.resize(buffer_bytes);
    this->Ref();
    napi_add_env_cleanup_hook(env, &PolledSocket::CleanupHook, this);
  }

  /** Closes the descriptor (opening failed part-way), keeping errno for the caller's report. */
  void CloseDescriptor() {
    int saved = errno;
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
    errno = saved;
  }

  void SetIntOption(Napi::Env env, int level, int name, int value, const char* label) {
    if (setsockopt(fd_, level, name, &value, sizeof(value)) != 0) {
      throw SystemError(env, errno, "setsockopt", std::string(label) + ", " + context_);
    }
  }

  /** SO_BINDTODEVICE: only this interface's packets reach the socket. */
  void BindToDevice(Napi::Env env, const std::string& ifname) {
    if (setsockopt(fd_, SOL_SOCKET, SO_BINDTODEVICE, ifname.c_str(), static_cast<socklen_t>(ifname.size() + 1)) !=
        0) {
      throw SystemError(env, errno, "setsockopt", "SO_BINDTODEVICE, " + context_);
    }
  }

  /** Calls the message callback; only from ReceiveOne, inside Drain. */
  void Deliver(const std::initializer_list<napi_value>& args) {
    EnterCallbackScope();
    Call(on_message_, args);
  }

  /** Reports a receive failure (errno, syscall) to the error callback, from ReceiveOne. */
  void ReportError(Napi::Env env, int error_number, const char* syscall) {
    EnterCallbackScope();
    Call(on_error_, {Napi::Number::New(env, error_number), Napi::String::New(env, syscall)});
  }

  /** Calls `callback` with one number from a libuv callback of the derived class (a timer). */
  void CallFromLoop(Napi::FunctionReference& callback, double value) {
    Napi::Env env = this->Env();
    Napi::HandleScope scope(env);
    Napi::CallbackScope callback_scope(env, *async_context_);
    Call(callback, {Napi::Number::New(env, value)});
  }

  /**
   * For ReceiveOne when a receive failed: stop draining (return false); an error other than an
   * empty queue is reported first.
   */
  bool ReceiveFailed(Napi::Env env, const char* syscall) {
    if (errno != EAGAIN && errno != EWOULDBLOCK) ReportError(env, errno, syscall);
    return false;
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    Shutdown();
    return info.Env().Undefined();
  }

  /** What the derived class stops before the descriptor closes (its own timers); hidden there. */
  void OnShutdown() {}

  /** The loop the socket is polled on (null before StartPolling). */
  uv_loop_t* Loop() const { return poll_ == nullptr ? nullptr : poll_->loop; }

  int fd_ = -1;
  std::string context_;
  std::vector<uint8_t> buffer_;

 private:
  void StopPolling() {
    uv_poll_stop(poll_);
    poll_->data = nullptr;
    uv_close(reinterpret_cast<uv_handle_t*>(poll_), &PolledSocket::FreeHandle);
    poll_ = nullptr;
  }

  /** Stops polling, closes the socket and lets the JS object be collected. Idempotent. */
  void Shutdown() {
    static_cast<Derived*>(this)->OnShutdown();
    if (poll_ != nullptr) {
      StopPolling();
      napi_remove_env_cleanup_hook(this->Env(), &PolledSocket::CleanupHook, this);
      this->Unref();
    }
    CloseDescriptor();
  }

  static void CleanupHook(void* self) { static_cast<PolledSocket*>(self)->Shutdown(); }

  static void FreeHandle(uv_handle_t* handle) { delete reinterpret_cast<uv_poll_t*>(handle); }

  static void OnReadable(uv_poll_t* handle, int status, int /*events*/) {
    auto* self = static_cast<PolledSocket*>(handle->data);
    if (self != nullptr) self->Drain(status);
  }

  void Drain(int status) {
    Napi::Env env = this->Env();
    Napi::HandleScope scope(env);
    if (status < 0) {
      // libuv gave up on the descriptor: report it; the JS side closes and reopens.
      ReportError(env, -status, "uv_poll");
    } else {
      auto* derived = static_cast<Derived*>(this);
      for (int i = 0; i < kMaxMessagesPerEvent && fd_ >= 0; i++) {
        Napi::HandleScope message_scope(env);
        if (!derived->ReceiveOne(env)) break;
      }
    }
    // Closing the scope runs nextTick callbacks and microtasks, once for the whole batch; a batch
    // that called nothing (every packet a repeat the offload took) never entered JavaScript.
    callback_scope_.reset();
  }

  /** Opened by the first call into JavaScript of a readable event, closed at its end (Drain). */
  void EnterCallbackScope() {
    if (!callback_scope_) callback_scope_.emplace(this->Env(), *async_context_);
  }

  /**
   * The TypeScript side never lets a callback throw; if one does anyway it becomes an uncaught
   * exception of the process rather than vanishing here.
   */
  void Call(Napi::FunctionReference& callback, const std::initializer_list<napi_value>& args) {
    if (callback.IsEmpty()) return;
    try {
      callback.Call(this->Value(), args);
    } catch (const Napi::Error& error) {
      napi_fatal_exception(this->Env(), error.Value());
    }
  }

  uv_poll_t* poll_ = nullptr;
  Napi::FunctionReference on_message_;
  Napi::FunctionReference on_error_;
  std::unique_ptr<Napi::AsyncContext> async_context_;
  std::optional<Napi::CallbackScope> callback_scope_;
};

/**
 * One non-blocking receive with EINTR retried: the length, or -1 with errno set (EAGAIN when the
 * queue is empty).
 */
inline ssize_t ReceiveMessage(int fd, msghdr* message) {
  ssize_t length;
  do {
    length = recvmsg(fd, message, MSG_DONTWAIT);
  } while (length < 0 && errno == EINTR);
  return length;
}

/** Like ReceiveMessage, for sends: bytes sent, or -errno. */
inline ssize_t SendMessage(int fd, const msghdr* message) {
  ssize_t sent;
  do {
    sent = sendmsg(fd, message, MSG_DONTWAIT);
  } while (sent < 0 && errno == EINTR);
  return sent < 0 ? -errno : sent;
}

/** One datagram to `address` (sendto), non-blocking, EINTR retried: bytes sent, or -errno. */
inline ssize_t SendTo(int fd, const void* data, size_t length, const void* address, socklen_t address_length) {
  iovec iov{const_cast<void*>(data), length};
  msghdr message{};
  message.msg_name = const_cast<void*>(address);
  message.msg_namelen = address_length;
  message.msg_iov = &iov;
  message.msg_iovlen = 1;
  return SendMessage(fd, &message);
}

/** One datagram into `buffer` with its sender in `address`: as ReceiveMessage. */
inline ssize_t ReceiveFrom(int fd, std::vector<uint8_t>& buffer, void* address, socklen_t address_length) {
  iovec iov{buffer.data(), buffer.size()};
  msghdr message{};
  message.msg_name = address;
  message.msg_namelen = address_length;
  message.msg_iov = &iov;
  message.msg_iovlen = 1;
  return ReceiveMessage(fd, &message);
}

}  // namespace vrrpd
