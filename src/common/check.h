#pragma once
// BRAMKA_CHECK: assertions for bugs (never for what a peer, file or database sent).
#include <cstdio>
#include <cstdlib>

#define BRAMKA_CHECK(cond)                                                                 \
  do {                                                                                     \
    if (!(cond)) {                                                                         \
      std::fprintf(stderr, "%s:%d: BRAMKA_CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                        \
    }                                                                                      \
  } while (0)
