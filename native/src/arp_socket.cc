// ArpSocket: an AF_PACKET socket bound to one interface and to EtherType ARP, for the uplink
// module's ARP probe (arping-style: our own who-has for the gateway, answered by its is-at). It
// sends complete Ethernet frames and hands every ARP frame the interface receives to JavaScript,
// which matches replies. Receiving runs from libuv (uv_poll), draining a bounded number of frames
// per readable event; the event loop never blocks. Failures after opening are values: send
// returns -errno, receive errors go to the error callback as (errno, syscall). Opening throws.
//
// Why not the kernel's neighbour table: an entry stays REACHABLE for reachable_time (about 30 s)
// after one confirmation, so it cannot tell within a few probe intervals that the gateway stopped
// answering, and forcing re-resolution would disturb the traffic that uses the entry.
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "addon.h"

namespace vrrpd {

namespace {

constexpr size_t kFrameBufferBytes = 2048;
constexpr int kMaxFramesPerEvent = 64;
constexpr size_t kEthernetHeaderLength = 14;

class ArpSocket : public Napi::ObjectWrap<ArpSocket> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "ArpSocket",
                       {InstanceMethod<&ArpSocket::Send>("send"), InstanceMethod<&ArpSocket::Close>("close")});
  }

  // new ArpSocket(ifindex, onFrame(frame), onError(errno, syscall))
  explicit ArpSocket(const Napi::CallbackInfo& info) : Napi::ObjectWrap<ArpSocket>(info) {
    Napi::Env env = info.Env();
    if (info.Length() < 3 || !info[1].IsFunction() || !info[2].IsFunction()) {
      throw Napi::TypeError::New(env, "expected (ifindex, onFrame, onError)");
    }
    int64_t ifindex = RequireInteger(info, 0, "ifindex");
    if (ifindex <= 0 || ifindex > INT32_MAX) throw Napi::RangeError::New(env, "ifindex must be positive");
    ifindex_ = static_cast<int>(ifindex);
    context_ = "AF_PACKET ARP, ifindex " + std::to_string(ifindex_);

    fd_ = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ARP));
    if (fd_ < 0) throw SystemError(env, errno, "socket", context_);
    sockaddr_ll address{};
    address.sll_family = AF_PACKET;
    address.sll_protocol = htons(ETH_P_ARP);
    address.sll_ifindex = ifindex_;
    if (bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
      int error = errno;
      close(fd_);
      fd_ = -1;
      throw SystemError(env, error, "bind", context_);
    }

    uv_loop_t* loop = nullptr;
    if (napi_get_uv_event_loop(env, &loop) != napi_ok || loop == nullptr) {
      close(fd_);
      fd_ = -1;
      throw Napi::Error::New(env, "cannot get the libuv event loop");
    }
    poll_ = new uv_poll_t;
    int rc = uv_poll_init(loop, poll_, fd_);
    if (rc == 0) {
      poll_->data = this;
      rc = uv_poll_start(poll_, UV_READABLE, &ArpSocket::OnReadable);
      if (rc != 0) {
        poll_->data = nullptr;
        uv_close(reinterpret_cast<uv_handle_t*>(poll_), &ArpSocket::FreeHandle);
        poll_ = nullptr;
      }
    } else {
      delete poll_;
      poll_ = nullptr;
    }
    if (rc != 0) {
      close(fd_);
      fd_ = -1;
      throw SystemError(env, -rc, "uv_poll", context_);
    }
    on_frame_ = Napi::Persistent(info[1].As<Napi::Function>());
    on_error_ = Napi::Persistent(info[2].As<Napi::Function>());
    async_context_ = std::make_unique<Napi::AsyncContext>(env, "vrrpd.ArpSocket");
    buffer_.resize(kFrameBufferBytes);
    // While open, libuv holds a pointer to us: keep the JS object from being collected.
    Ref();
    napi_add_env_cleanup_hook(env, &ArpSocket::CleanupHook, this);
  }

  ~ArpSocket() override {
    if (fd_ >= 0) close(fd_);
  }

 private:
  // send(frame): bytes sent, or -errno. The frame starts with the destination MAC.
  Napi::Value Send(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Napi::Buffer<uint8_t> frame = RequireBuffer(info, 0, "frame");
    if (frame.Length() < kEthernetHeaderLength) {
      throw Napi::RangeError::New(env, "frame is shorter than an Ethernet header (14 bytes)");
    }
    if (fd_ < 0) return Napi::Number::New(env, -EBADF);
    sockaddr_ll destination{};
    destination.sll_family = AF_PACKET;
    destination.sll_ifindex = ifindex_;
    destination.sll_protocol = htons(ETH_P_ARP);
    destination.sll_halen = 6;
    std::memcpy(destination.sll_addr, frame.Data(), 6);
    ssize_t sent;
    do {
      sent = sendto(fd_, frame.Data(), frame.Length(), MSG_DONTWAIT, reinterpret_cast<sockaddr*>(&destination),
                    sizeof(destination));
    } while (sent < 0 && errno == EINTR);
    if (sent < 0) return Napi::Number::New(env, -errno);
    return Napi::Number::New(env, static_cast<double>(sent));
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    Shutdown();
    return info.Env().Undefined();
  }

  void Shutdown() {
    if (poll_ != nullptr) {
      uv_poll_stop(poll_);
      poll_->data = nullptr;
      uv_close(reinterpret_cast<uv_handle_t*>(poll_), &ArpSocket::FreeHandle);
      poll_ = nullptr;
      napi_remove_env_cleanup_hook(Env(), &ArpSocket::CleanupHook, this);
      Unref();
    }
    if (fd_ >= 0) {
      close(fd_);
      fd_ = -1;
    }
  }

  static void CleanupHook(void* self) { static_cast<ArpSocket*>(self)->Shutdown(); }
  static void FreeHandle(uv_handle_t* handle) { delete reinterpret_cast<uv_poll_t*>(handle); }

  static void OnReadable(uv_poll_t* handle, int status, int /*events*/) {
    auto* self = static_cast<ArpSocket*>(handle->data);
    if (self != nullptr) self->Drain(status);
  }

  void Drain(int status) {
    Napi::Env env = Env();
    Napi::HandleScope scope(env);
    if (status < 0) {
      Invoke(env, on_error_, {Napi::Number::New(env, -status), Napi::String::New(env, "uv_poll")});
      return;
    }
    for (int i = 0; i < kMaxFramesPerEvent && fd_ >= 0; i++) {
      sockaddr_ll from{};
      socklen_t from_length = sizeof(from);
      ssize_t length = recvfrom(fd_, buffer_.data(), buffer_.size(), MSG_DONTWAIT,
                                reinterpret_cast<sockaddr*>(&from), &from_length);
      if (length < 0) {
        if (errno == EINTR) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
          Invoke(env, on_error_, {Napi::Number::New(env, errno), Napi::String::New(env, "recvfrom")});
        }
        return;
      }
      // Our own requests come back as PACKET_OUTGOING: not answers.
      if (from.sll_pkttype == PACKET_OUTGOING) continue;
      Invoke(env, on_frame_, {Napi::Buffer<uint8_t>::Copy(env, buffer_.data(), static_cast<size_t>(length))});
    }
  }

  void Invoke(Napi::Env env, Napi::FunctionReference& callback, const std::initializer_list<napi_value>& args) {
    if (callback.IsEmpty()) return;
    try {
      callback.MakeCallback(Value(), args, *async_context_);
    } catch (const Napi::Error& error) {
      napi_fatal_exception(env, error.Value());
    }
  }

  int fd_ = -1;
  int ifindex_ = 0;
  std::string context_;
  uv_poll_t* poll_ = nullptr;
  Napi::FunctionReference on_frame_;
  Napi::FunctionReference on_error_;
  std::unique_ptr<Napi::AsyncContext> async_context_;
  std::vector<uint8_t> buffer_;
};

}  // namespace

Napi::Function DefineArpSocket(Napi::Env env) { return ArpSocket::Define(env); }

}  // namespace vrrpd
