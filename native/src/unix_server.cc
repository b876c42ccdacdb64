// UnixStreamServer: the control socket's listener (a unix stream socket) on libuv's own pipe
// handles, so the daemon does not load node:net for it; the same on a TCP socket serves the
// metrics endpoint (src/control/metrics-http.ts), so that does not load node:http and node:net. node:net, and what net.Server.listen pulls
// in with it (cluster, child_process, dgram, streams), cost ~0.9 MiB of resident memory and a few
// milliseconds of start-up in a daemon that otherwise has no use for them (issue 15).
//
// libuv does the socket work: bind/listen/accept, non-blocking reads, queued writes (uv_write
// copies nothing: each write keeps its own copy of the bytes until libuv is done with it),
// shutdown after the queued writes. JavaScript gets one callback, onEvent(kind, id, data), for a
// connection accepted, data read, the peer's end, an error (errno) and the close of a connection;
// it answers with write/end/destroy/pause/resume by connection id. Nothing here parses requests.
//
// unixSocketAnswers(path): whether something accepts connections on a unix socket path (a live
// daemon), by one non-blocking connect — what the daemon asks before replacing a socket file.
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <uv.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "addon.h"

namespace vrrpd {

namespace {

enum EventKind { kConnection = 0, kData = 1, kEnd = 2, kError = 3, kClose = 4 };

constexpr size_t kReadBufferBytes = 64 * 1024;

class UnixStreamServer;

/** A unix socket's pipe or a TCP socket: libuv's stream calls take either. */
union StreamHandle {
  uv_handle_t handle;
  uv_stream_t stream;
  uv_pipe_t pipe;
  uv_tcp_t tcp;
};

struct Connection {
  StreamHandle pipe;
  UnixStreamServer* server = nullptr;
  uint32_t id = 0;
  bool closing = false;
};

struct WriteRequest {
  uv_write_t request;
  std::vector<char> bytes;
};

class UnixStreamServer : public Napi::ObjectWrap<UnixStreamServer> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "UnixStreamServer",
                       {InstanceMethod<&UnixStreamServer::Address>("address"),
                        InstanceMethod<&UnixStreamServer::Write>("write"),
                        InstanceMethod<&UnixStreamServer::End>("end"),
                        InstanceMethod<&UnixStreamServer::Destroy>("destroy"),
                        InstanceMethod<&UnixStreamServer::Pause>("pause"),
                        InstanceMethod<&UnixStreamServer::Resume>("resume"),
                        InstanceMethod<&UnixStreamServer::Close>("close")});
  }

  // new UnixStreamServer(path | {host, port}, backlog, onEvent(kind, id, data)): a unix socket at
  // `path`, or TCP on the first address `host` resolves to (the metrics endpoint).
  explicit UnixStreamServer(const Napi::CallbackInfo& info) : Napi::ObjectWrap<UnixStreamServer>(info) {
    Napi::Env env = info.Env();
    tcp_ = info.Length() > 0 && info[0].IsObject();
    std::string where;
    std::string host;
    int port = 0;
    if (tcp_) {
      Napi::Object address = info[0].As<Napi::Object>();
      Napi::Value host_value = address.Get("host");
      if (!host_value.IsString()) throw Napi::TypeError::New(env, "host must be a string");
      host = host_value.As<Napi::String>().Utf8Value();
      port = IntegerProperty(address, "port", -1, 0, 65535);
      where = host + ":" + std::to_string(port);
    } else {
      where = RequireString(info, 0, "path");
    }
    int64_t backlog = RequireInteger(info, 1, "backlog");
    if (info.Length() < 3 || !info[2].IsFunction()) throw Napi::TypeError::New(env, "onEvent must be a function");
    if (backlog < 1 || backlog > 4096) throw Napi::RangeError::New(env, "backlog must be 1..4096");
    uv_loop_t* loop = nullptr;
    if (napi_get_uv_event_loop(env, &loop) != napi_ok || loop == nullptr) {
      throw Napi::Error::New(env, "cannot get the libuv event loop");
    }
    listener_ = new StreamHandle;
    InitStream(loop, listener_);
    listener_->handle.data = this;
    const char* syscall = "bind";
    int rc = tcp_ ? BindTcp(loop, host, port, &syscall) : uv_pipe_bind(&listener_->pipe, where.c_str());
    if (rc == 0) {
      rc = uv_listen(&listener_->stream, static_cast<int>(backlog), &UnixStreamServer::OnConnection);
      syscall = "listen";
    }
    if (rc != 0) {
      uv_close(&listener_->handle, &UnixStreamServer::FreeListener);
      listener_ = nullptr;
      throw SystemError(env, -rc, syscall, where);
    }
    on_event_ = Napi::Persistent(info[2].As<Napi::Function>());
    async_context_ = std::make_unique<Napi::AsyncContext>(env, "vrrpd.UnixStreamServer");
    read_buffer_.resize(kReadBufferBytes);
    Ref();
    napi_add_env_cleanup_hook(env, &UnixStreamServer::CleanupHook, this);
  }

 private:
  void InitStream(uv_loop_t* loop, StreamHandle* handle) {
    if (tcp_) {
      uv_tcp_init(loop, &handle->tcp);
    } else {
      uv_pipe_init(loop, &handle->pipe, 0);
    }
  }

  /** Binds the TCP listener to the first address `host` resolves to (getaddrinfo, synchronous). */
  int BindTcp(uv_loop_t* loop, const std::string& host, int port, const char** syscall) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    uv_getaddrinfo_t request;
    *syscall = "getaddrinfo";
    int rc = uv_getaddrinfo(loop, &request, nullptr, host.c_str(), std::to_string(port).c_str(), &hints);
    if (rc != 0) return rc;
    *syscall = "bind";
    rc = request.addrinfo == nullptr ? UV_EADDRNOTAVAIL : uv_tcp_bind(&listener_->tcp, request.addrinfo->ai_addr, 0);
    uv_freeaddrinfo(request.addrinfo);
    return rc;
  }

  // address() → [host, port] of a TCP listener (the real port when 0 was asked for); null else.
  Napi::Value Address(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!tcp_ || listener_ == nullptr) return env.Null();
    sockaddr_storage address{};
    int length = sizeof(address);
    if (uv_tcp_getsockname(&listener_->tcp, reinterpret_cast<sockaddr*>(&address), &length) != 0) return env.Null();
    char text[INET6_ADDRSTRLEN] = "";
    int port;
    if (address.ss_family == AF_INET6) {
      auto* v6 = reinterpret_cast<sockaddr_in6*>(&address);
      uv_ip6_name(v6, text, sizeof(text));
      port = ntohs(v6->sin6_port);
    } else {
      auto* v4 = reinterpret_cast<sockaddr_in*>(&address);
      uv_ip4_name(v4, text, sizeof(text));
      port = ntohs(v4->sin_port);
    }
    Napi::Array result = Napi::Array::New(env, 2);
    result.Set(0u, Napi::String::New(env, text));
    result.Set(1u, Napi::Number::New(env, port));
    return result;
  }

  Connection* Find(const Napi::CallbackInfo& info) {
    int64_t id = RequireInteger(info, 0, "id");
    auto found = connections_.find(static_cast<uint32_t>(id));
    if (found == connections_.end() || found->second->closing) return nullptr;
    return found->second;
  }

  static uv_stream_t* Stream(Connection* connection) { return &connection->pipe.stream; }

  // write(id, bytes) → 0, or -errno (the connection is gone, or libuv refused the write).
  Napi::Value Write(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Napi::Buffer<uint8_t> data = RequireBuffer(info, 1, "data");
    Connection* connection = Find(info);
    if (connection == nullptr) return Napi::Number::New(env, -EPIPE);
    auto* request = new WriteRequest;
    request->bytes.assign(data.Data(), data.Data() + data.Length());
    request->request.data = connection;
    uv_buf_t buffer = uv_buf_init(request->bytes.data(), static_cast<unsigned int>(request->bytes.size()));
    int rc = uv_write(&request->request, Stream(connection), &buffer, 1, &UnixStreamServer::OnWritten);
    if (rc != 0) delete request;
    return Napi::Number::New(env, rc);
  }

  // end(id): close once the queued writes are out (shutdown, then close).
  Napi::Value End(const Napi::CallbackInfo& info) {
    Connection* connection = Find(info);
    if (connection == nullptr) return info.Env().Undefined();
    auto* request = new uv_shutdown_t;
    request->data = connection;
    if (uv_shutdown(request, Stream(connection), &UnixStreamServer::OnShutdown) != 0) {
      delete request;
      CloseConnection(connection);
    }
    return info.Env().Undefined();
  }

  Napi::Value Destroy(const Napi::CallbackInfo& info) {
    Connection* connection = Find(info);
    if (connection != nullptr) CloseConnection(connection);
    return info.Env().Undefined();
  }

  Napi::Value Pause(const Napi::CallbackInfo& info) {
    Connection* connection = Find(info);
    if (connection != nullptr) uv_read_stop(Stream(connection));
    return info.Env().Undefined();
  }

  Napi::Value Resume(const Napi::CallbackInfo& info) {
    Connection* connection = Find(info);
    if (connection != nullptr) uv_read_start(Stream(connection), &UnixStreamServer::Allocate, &UnixStreamServer::OnRead);
    return info.Env().Undefined();
  }

  // close(): stop listening and close every connection (each reports kClose). Idempotent.
  Napi::Value Close(const Napi::CallbackInfo& info) {
    Shutdown();
    return info.Env().Undefined();
  }

  void Shutdown() {
    if (shutting_down_) return;
    shutting_down_ = true;
    for (auto& entry : connections_) CloseConnection(entry.second);
    uv_close(&listener_->handle, &UnixStreamServer::OnListenerClosed);
  }

  // The JS object (and so this) stays alive until libuv has let go of every handle.
  void MaybeRelease() {
    if (!shutting_down_ || listener_ != nullptr || !connections_.empty() || released_) return;
    released_ = true;
    if (torn_down_) return;
    napi_remove_env_cleanup_hook(Env(), &UnixStreamServer::CleanupHook, this);
    Unref();
  }

  void CloseConnection(Connection* connection) {
    if (connection->closing) return;
    connection->closing = true;
    uv_close(&connection->pipe.handle, &UnixStreamServer::OnConnectionClosed);
  }

  // Environment teardown: close everything, call nothing in JavaScript any more.
  static void CleanupHook(void* self) {
    auto* server = static_cast<UnixStreamServer*>(self);
    server->torn_down_ = true;
    server->Shutdown();
  }

  static void FreeListener(uv_handle_t* handle) { delete reinterpret_cast<StreamHandle*>(handle); }

  static void OnListenerClosed(uv_handle_t* handle) {
    auto* self = static_cast<UnixStreamServer*>(handle->data);
    delete reinterpret_cast<StreamHandle*>(handle);
    self->listener_ = nullptr;
    self->MaybeRelease();
  }

  static void OnConnection(uv_stream_t* listener, int status) {
    auto* self = static_cast<UnixStreamServer*>(listener->data);
    if (self->shutting_down_) return;
    if (status < 0) {
      self->Emit(kError, 0, -status);
      return;
    }
    auto* connection = new Connection;
    self->InitStream(listener->loop, &connection->pipe);
    connection->pipe.handle.data = connection;
    connection->server = self;
    if (uv_accept(listener, Stream(connection)) != 0) {
      connection->closing = true;
      uv_close(&connection->pipe.handle, &UnixStreamServer::FreeConnection);
      return;
    }
    connection->id = ++self->last_id_;
    self->connections_[connection->id] = connection;
    uv_read_start(Stream(connection), &UnixStreamServer::Allocate, &UnixStreamServer::OnRead);
    self->Emit(kConnection, connection->id, 0);
  }

  static void Allocate(uv_handle_t* handle, size_t /*suggested*/, uv_buf_t* buffer) {
    auto* connection = static_cast<Connection*>(handle->data);
    std::vector<char>& bytes = connection->server->read_buffer_;
    *buffer = uv_buf_init(bytes.data(), static_cast<unsigned int>(bytes.size()));
  }

  static void OnRead(uv_stream_t* stream, ssize_t length, const uv_buf_t* buffer) {
    auto* connection = static_cast<Connection*>(stream->data);
    UnixStreamServer* self = connection->server;
    if (length > 0) {
      self->EmitData(connection->id, buffer->base, static_cast<size_t>(length));
    } else if (length == UV_EOF) {
      uv_read_stop(stream);
      self->Emit(kEnd, connection->id, 0);
    } else if (length < 0) {
      self->Emit(kError, connection->id, static_cast<int>(-length));
      self->CloseConnection(connection);
    }
  }

  static void OnWritten(uv_write_t* request, int status) {
    auto* write = reinterpret_cast<WriteRequest*>(request);
    auto* connection = static_cast<Connection*>(request->data);
    if (status < 0 && status != UV_ECANCELED && !connection->closing) {
      connection->server->Emit(kError, connection->id, -status);
    }
    delete write;
  }

  static void OnShutdown(uv_shutdown_t* request, int /*status*/) {
    auto* connection = static_cast<Connection*>(request->data);
    delete request;
    connection->server->CloseConnection(connection);
  }

  static void OnConnectionClosed(uv_handle_t* handle) {
    auto* connection = static_cast<Connection*>(handle->data);
    UnixStreamServer* self = connection->server;
    self->connections_.erase(connection->id);
    self->Emit(kClose, connection->id, 0);
    delete connection;
    self->MaybeRelease();
  }

  static void FreeConnection(uv_handle_t* handle) { delete static_cast<Connection*>(handle->data); }

  void EmitData(uint32_t id, const char* bytes, size_t length) {
    if (torn_down_) return;
    Napi::Env env = Env();
    Napi::HandleScope scope(env);
    Invoke({Napi::Number::New(env, kData), Napi::Number::New(env, id), Napi::Buffer<char>::Copy(env, bytes, length)});
  }

  void Emit(EventKind kind, uint32_t id, int error_number) {
    if (torn_down_) return;
    Napi::Env env = Env();
    Napi::HandleScope scope(env);
    Invoke({Napi::Number::New(env, kind), Napi::Number::New(env, id), Napi::Number::New(env, error_number)});
  }

  void Invoke(const std::initializer_list<napi_value>& args) {
    if (on_event_.IsEmpty()) return;
    try {
      on_event_.MakeCallback(Value(), args, *async_context_);
    } catch (const Napi::Error& error) {
      napi_fatal_exception(Env(), error.Value());
    }
  }

  StreamHandle* listener_ = nullptr;
  bool tcp_ = false;
  bool shutting_down_ = false;
  bool released_ = false;
  bool torn_down_ = false;
  uint32_t last_id_ = 0;
  std::unordered_map<uint32_t, Connection*> connections_;
  std::vector<char> read_buffer_;
  Napi::FunctionReference on_event_;
  std::unique_ptr<Napi::AsyncContext> async_context_;
};

}  // namespace

Napi::Function DefineUnixStreamServer(Napi::Env env) { return UnixStreamServer::Define(env); }

// unixSocketAnswers(path) → false when nobody listens there (ECONNREFUSED, ENOENT), true otherwise.
Napi::Value UnixSocketAnswers(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string path = RequireString(info, 0, "path");
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof(address.sun_path)) {
    throw Napi::RangeError::New(env, "unix socket path must be 1.." + std::to_string(sizeof(address.sun_path) - 1) +
                                         " bytes: " + path);
  }
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) throw SystemError(env, errno, "socket", path);
  int rc;
  do {
    rc = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  } while (rc != 0 && errno == EINTR);
  int error = rc == 0 ? 0 : errno;
  close(fd);
  // Anything else (EAGAIN: a full backlog, EACCES…) may be a live daemon: do not take its socket.
  return Napi::Boolean::New(env, error != ECONNREFUSED && error != ENOENT);
}

}  // namespace vrrpd
