#include "core/util/lazy_library.h"

#include <dlfcn.h>

#include <cstring>

namespace dqa::lazy_library_internal {

void* Open(const char* soname, const char* package, std::string& error) {
  void* handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    error = std::string("the library ") + soname + " cannot be loaded (" +
            (why != nullptr ? why : "unknown error") + "); install Debian's " + package +
            " package";
  }
  return handle;
}

bool Resolve(void* handle, const char* symbol, void* slot) {
  void* address = dlsym(handle, symbol);
  if (address == nullptr) return false;
  // POSIX: a function's address from dlsym converts to a function pointer of its type.
  std::memcpy(slot, &address, sizeof address);
  return true;
}

}  // namespace dqa::lazy_library_internal
