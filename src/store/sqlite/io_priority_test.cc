#include "store/sqlite/io_priority.h"

#include <gtest/gtest.h>

#include <thread>

namespace bramka::store::sqlite {
namespace {

TEST(IoPriorityTest, RaisesOnlyTheCallingThreadOrLeavesItAlone) {
  const int before = ThreadIoPriorityForTest();
  int inside = -1;
  bool raised = false;
  std::thread t([&] {
    raised = RaiseThreadIoPriority();
    inside = ThreadIoPriorityForTest();
  });
  t.join();
  if (raised) {
    EXPECT_EQ(inside, kRealtimeIoPriority);
  } else {
    EXPECT_EQ(inside, before);  // not permitted: nothing changed
  }
  EXPECT_EQ(ThreadIoPriorityForTest(), before);  // the test's own thread kept its class
}

}  // namespace
}  // namespace bramka::store::sqlite
