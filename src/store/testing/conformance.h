#pragma once
// The Store conformance suite: every rule of store/store.h as a
// value-parameterised GoogleTest, run against every implementation.
//
// Each implementation's test file instantiates it with a factory that returns
// a fresh, empty store per test:
//
//   INSTANTIATE_TEST_SUITE_P(
//       Memory, StoreConformanceTest,
//       testing::Values(StoreFactory{"memory", [] {
//         return std::unique_ptr<Store>(new InMemoryStore);
//       }}),
//       StoreFactoryName);

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include <gtest/gtest.h>

#include "store/store.h"

namespace bramka::store {

struct StoreFactory {
  std::string name;
  std::function<std::unique_ptr<Store>()> make;
};

// gtest prints the parameter by name instead of as raw bytes.
inline void PrintTo(const StoreFactory& f, std::ostream* os) { *os << f.name; }

// For the test names: "memory", "sqlite", ...
std::string StoreFactoryName(const testing::TestParamInfo<StoreFactory>& info);

// Every field of two submit reads (balances, sender, blacklist), errors by code; `what`
// names the case in a failure.
void ExpectSameReads(const Store::SubmitReads& got, const Store::SubmitReads& want,
                     const std::string& what = "");

class StoreConformanceTest : public testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override;
  void TearDown() override;

  Store& store() { return *store_; }
  // Creates an account named `name` with `units` of every limited balance.
  AccountId NewAccount(const std::string& name, int64_t units = 100);
  // A valid new message of `account` with a fresh id.
  Message NewMessage(AccountId account, const std::string& phone = "+48500000001");
  // Accepts the messages for `account`, failing the test on error.
  AcceptResult AcceptOk(AccountId account, std::vector<Message> messages);
  int64_t Units(AccountId account, MessageType type);

  std::unique_ptr<Store> store_;
  int next_message_ = 0;
};

}  // namespace bramka::store
