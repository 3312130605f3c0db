#include "store/testing/in_memory_store.h"

#include "store/testing/conformance.h"

namespace bramka::store {
namespace {

INSTANTIATE_TEST_SUITE_P(Memory, StoreConformanceTest,
                         testing::Values(StoreFactory{
                             "memory", [] { return std::unique_ptr<Store>(new InMemoryStore); }}),
                         StoreFactoryName);

}  // namespace
}  // namespace bramka::store
