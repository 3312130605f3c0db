// CompletionHome (completion_home.h, docs/adr/0067).

#include "store/completion_home.h"

namespace bramka::store {
namespace {
thread_local CompletionHome* t_home = nullptr;
}  // namespace

CompletionHome* CompletionHome::Current() { return t_home; }

CompletionHome::Scope::Scope(CompletionHome* home) : saved_(t_home) { t_home = home; }

CompletionHome::Scope::~Scope() { t_home = saved_; }

}  // namespace bramka::store
