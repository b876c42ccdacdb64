// Error and argument helpers. System errors keep the numeric errno so JavaScript can map it
// to its symbolic name portably (util.getSystemErrorName) instead of a glibc-only call here.
#include <net/if.h>

#include <cstring>
#include <string>

#include "addon.h"

namespace vrrpd {

Napi::Error SystemError(Napi::Env env, int error_number, const std::string& syscall,
                        const std::string& context) {
  std::string message = syscall + " (" + context + "): " + std::strerror(error_number);
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("errno", Napi::Number::New(env, error_number));
  error.Set("syscall", Napi::String::New(env, syscall));
  return error;
}

static Napi::Value Argument(const Napi::CallbackInfo& info, size_t index) {
  return index < info.Length() ? info[index] : info.Env().Undefined();
}

std::string RequireString(const Napi::CallbackInfo& info, size_t index, const char* name) {
  Napi::Value value = Argument(info, index);
  if (!value.IsString()) {
    throw Napi::TypeError::New(info.Env(), std::string(name) + " must be a string");
  }
  return value.As<Napi::String>().Utf8Value();
}

int64_t RequireInteger(const Napi::CallbackInfo& info, size_t index, const char* name) {
  Napi::Value value = Argument(info, index);
  if (!value.IsNumber()) {
    throw Napi::TypeError::New(info.Env(), std::string(name) + " must be a number");
  }
  double number = value.As<Napi::Number>().DoubleValue();
  if (number != static_cast<double>(static_cast<int64_t>(number))) {
    throw Napi::TypeError::New(info.Env(), std::string(name) + " must be an integer");
  }
  return static_cast<int64_t>(number);
}

bool RequireBoolean(const Napi::CallbackInfo& info, size_t index, const char* name) {
  Napi::Value value = Argument(info, index);
  if (!value.IsBoolean()) {
    throw Napi::TypeError::New(info.Env(), std::string(name) + " must be a boolean");
  }
  return value.As<Napi::Boolean>().Value();
}

Napi::Buffer<uint8_t> RequireBuffer(const Napi::CallbackInfo& info, size_t index, const char* name) {
  Napi::Value value = Argument(info, index);
  if (!value.IsBuffer()) {
    throw Napi::TypeError::New(info.Env(), std::string(name) + " must be a Buffer");
  }
  return value.As<Napi::Buffer<uint8_t>>();
}

int IntegerProperty(Napi::Object object, const char* name, int fallback, int min, int max) {
  Napi::Value value = object.Get(name);
  if (value.IsUndefined() || value.IsNull()) return fallback;
  if (!value.IsNumber()) throw Napi::TypeError::New(object.Env(), std::string(name) + " must be a number");
  double number = value.As<Napi::Number>().DoubleValue();
  if (number != static_cast<double>(static_cast<int64_t>(number)) || number < min || number > max) {
    throw Napi::RangeError::New(object.Env(), std::string(name) + " must be an integer in " + std::to_string(min) +
                                                  ".." + std::to_string(max));
  }
  return static_cast<int>(number);
}

std::string InterfaceNameProperty(Napi::Object object) {
  Napi::Value value = object.Get("ifname");
  if (!value.IsString()) throw Napi::TypeError::New(object.Env(), "ifname must be a string");
  std::string ifname = value.As<Napi::String>().Utf8Value();
  if (ifname.empty() || ifname.size() >= IFNAMSIZ) {
    throw Napi::RangeError::New(object.Env(), "interface name must be 1.." + std::to_string(IFNAMSIZ - 1) +
                                                  " characters: " + ifname);
  }
  return ifname;
}

}  // namespace vrrpd
