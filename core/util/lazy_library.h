// Shared libraries opened when first needed (dlopen) rather than when dqaudit starts: a process
// that never reads PostgreSQL or writes Excel does not map libpq or libxlsxwriter and the
// libraries they need (TLS, Kerberos, LDAP, zip), half of what a process start cost
// (docs/architecture.md "Libraries loaded when needed"). A user lists the functions it calls:
//
//   #define MY_FUNCTIONS(X) X(PQexec) X(PQclear)
//   struct LibPq { MY_FUNCTIONS(DQA_LAZY_POINTER) };
//   const LazyLibrary<LibPq>& Pq() {
//     static const LazyLibrary<LibPq> lib("libpq.so.5", "libpq5", [](LibPq& f, auto resolve) {
//       MY_FUNCTIONS(DQA_LAZY_RESOLVE)
//     });
//     return lib;
//   }
//   ... if (!Pq().error().empty()) fail; Pq().functions().PQexec(...)
#pragma once

#include <string>

namespace dqa {

// A member of a function table: a pointer of the function's own type.
#define DQA_LAZY_POINTER(name) decltype(&::name) name = nullptr;
// In a LazyLibrary's resolver: sets f.name from the library (resolve(symbol, slot)).
#define DQA_LAZY_RESOLVE(name) resolve(#name, reinterpret_cast<void*>(&f.name));

namespace lazy_library_internal {
// Opens `soname` (RTLD_NOW | RTLD_LOCAL, never closed); nullptr and `error` set when it cannot.
void* Open(const char* soname, const char* package, std::string& error);
// Stores the address of `symbol` of `handle` into the function pointer at `slot`; false when the
// library has no such symbol.
bool Resolve(void* handle, const char* symbol, void* slot);
}  // namespace lazy_library_internal

// The functions `Table` lists, from the shared library `soname` (Debian package `package`, named in
// the error), opened by the constructor. Construct it as a function's static: opened once, on
// first use, by whichever thread gets there first.
template <typename Table>
class LazyLibrary {
 public:
  template <typename Resolver>
  LazyLibrary(const char* soname, const char* package, Resolver resolver) {
    void* handle = lazy_library_internal::Open(soname, package, error_);
    if (handle == nullptr) return;
    resolver(functions_, [&](const char* symbol, void* slot) {
      if (!error_.empty()) return;
      if (!lazy_library_internal::Resolve(handle, symbol, slot)) {
        error_ = std::string("the library ") + soname + " has no function " + symbol;
      }
    });
  }
  // Why the library cannot be used ("" when every function was found).
  const std::string& error() const { return error_; }
  // The functions; only once error() is empty.
  const Table& functions() const { return functions_; }

 private:
  Table functions_;
  std::string error_;
};

}  // namespace dqa
