// LazyLibrary (core/util/lazy_library.h): a shared library opened on first use, with a clear error
// when it or one of its functions is missing.
#include <gtest/gtest.h>

#include <cmath>

#include "core/util/lazy_library.h"

namespace dqa {
namespace {

#define TEST_MATH_FUNCTIONS(X) X(cos) X(floor)
struct MathFunctions {
  TEST_MATH_FUNCTIONS(DQA_LAZY_POINTER)
};

TEST(LazyLibraryTest, ResolvesEveryListedFunction) {
  const LazyLibrary<MathFunctions> math(
      "libm.so.6", "libc6", [](MathFunctions& f, auto resolve) { TEST_MATH_FUNCTIONS(DQA_LAZY_RESOLVE) });
  ASSERT_EQ(math.error(), "");
  EXPECT_EQ(math.functions().cos(0.0), 1.0);
  EXPECT_EQ(math.functions().floor(2.5), 2.0);
}

TEST(LazyLibraryTest, AMissingLibraryOrFunctionIsAnErrorNamingIt) {
  const LazyLibrary<MathFunctions> missing(
      "libdqa_no_such_library.so.9", "dqa-no-such-package",
      [](MathFunctions& f, auto resolve) { TEST_MATH_FUNCTIONS(DQA_LAZY_RESOLVE) });
  EXPECT_NE(missing.error().find("the library libdqa_no_such_library.so.9 cannot be loaded ("),
            std::string::npos)
      << missing.error();
  EXPECT_NE(missing.error().find("install Debian's dqa-no-such-package package"), std::string::npos);

  struct Wrong {
    double (*cos)(double) = nullptr;
    double (*no_such_function)(double) = nullptr;
  };
  const LazyLibrary<Wrong> wrong("libm.so.6", "libc6", [](Wrong& f, auto resolve) {
    resolve("cos", reinterpret_cast<void*>(&f.cos));
    resolve("dqa_no_such_function", reinterpret_cast<void*>(&f.no_such_function));
  });
  EXPECT_EQ(wrong.error(), "the library libm.so.6 has no function dqa_no_such_function");
}

}  // namespace
}  // namespace dqa
