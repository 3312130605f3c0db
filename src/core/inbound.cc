// GatewayService: incoming messages, the numbering plan, premium answers and
// quizzes (spec §4.8, §4.9, §4.11; docs/adr/0011).

#include <algorithm>
#include <cctype>

#include "core/gateway_service.h"

namespace bramka::core {
namespace {

constexpr int64_t kPoolRefreshMs = 5000;

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// The words of a text, upper case.
std::vector<std::string> Words(const std::string& text) {
  std::vector<std::string> out;
  std::string w;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!w.empty()) out.push_back(Upper(w));
      w.clear();
    } else {
      w += c;
    }
  }
  if (!w.empty()) out.push_back(Upper(w));
  return out;
}

bool KnownInboxType(const std::string& t) {
  return t.empty() || t == "eco" || t == "nd" || t == "ndi" || t == "sc" || t == "sci" ||
         t == "pre" || t == "mms";
}

}  // namespace

Result<std::string> GatewayService::NextPoolNumber() {
  const int64_t now = ToUnixMillis(clock_.Now());
  std::lock_guard lock(pool_mu_);
  if (pool_loaded_ms_ < 0 || now - pool_loaded_ms_ >= kPoolRefreshMs) {
    BRAMKA_ASSIGN_OR_RETURN(std::vector<store::InboundNumber> plan, store_.ListInboundNumbers());
    pool_cache_.clear();
    for (const auto& n : plan) {
      if (n.kind == store::InboundKind::kPool) pool_cache_.push_back(n.number);
    }
    pool_loaded_ms_ = now;
  }
  if (pool_cache_.empty()) return std::string();
  return pool_cache_[pool_next_++ % pool_cache_.size()];
}

Result<store::InboxPage> GatewayService::ReceivedMessages(const Caller& caller,
                                                          const ReceivedQuery& query) {
  if (!KnownInboxType(query.type)) {
    return Refuse(ErrorCode::kInvalidArgument, Failure::kInvalidParameter,
                  "type must be eco, nd, ndi, sc, sci, pre or mms, not '" + query.type + "'");
  }
  store::InboxQuery q;
  q.account_id = caller.account_id;
  q.type = query.type;
  if (!query.ndi.empty()) {
    auto ndi = phones_.Normalize(query.ndi);
    q.to_number = ndi.ok() ? *ndi : query.ndi;  // short codes stay as written
  }
  for (const std::string& p : query.phones) {
    auto phone = phones_.Normalize(p);
    if (!phone.ok()) {
      return Refuse(ErrorCode::kInvalidArgument, Failure::kInvalidPhone,
                    "phone '" + p + "' is not a valid number");
    }
    q.phones.push_back(*phone);
  }
  if (query.date_from) q.from_ms = ToUnixMillis(*query.date_from);
  if (query.date_to) q.to_ms = ToUnixMillis(*query.date_to);
  q.unread_only = query.read;
  q.mark_read = query.read;
  q.page = query.page;
  q.limit = query.limit;
  q.descending = query.descending;
  return store_.QueryInbox(q);
}

Result<void> GatewayService::SendTestIncoming(const Caller& caller, const std::string& phone,
                                              const std::string& text,
                                              const std::string& ndi_number) {
  if (phone.empty())
    return Refuse(ErrorCode::kInvalidArgument, Failure::kMissingParameter, "phone is required");
  if (text.empty())
    return Refuse(ErrorCode::kInvalidArgument, Failure::kTextEmpty, "text is required");
  auto from = phones_.Normalize(phone);
  if (!from.ok()) {
    return Refuse(ErrorCode::kInvalidArgument, Failure::kInvalidPhone,
                  "phone '" + phone + "' is not a valid number");
  }
  BRAMKA_ASSIGN_OR_RETURN(std::vector<store::InboundNumber> plan, store_.ListInboundNumbers());
  std::string to, body = text;
  if (!ndi_number.empty()) {
    auto n = phones_.Normalize(ndi_number);
    const std::string wanted = n.ok() ? *n : ndi_number;
    for (const auto& x : plan) {
      if (x.account_id == caller.account_id && x.kind == store::InboundKind::kNdi &&
          x.number == wanted) {
        to = x.number;
      }
    }
    if (to.empty()) {
      return Refuse(ErrorCode::kInvalidArgument, Failure::kInvalidParameter,
                    "ndi_number " + wanted + " is not an NDI number of this account");
    }
  } else {
    for (const auto& x : plan) {
      if (x.account_id == caller.account_id && x.kind == store::InboundKind::kNd) {
        to = x.number;
        // The keyword routes it to this account on the shared number.
        if (!x.keyword.empty() && (Words(text).empty() || Words(text)[0] != x.keyword)) {
          body = x.keyword + " " + text;
        }
        break;
      }
    }
    if (to.empty()) {
      return Refuse(ErrorCode::kInvalidArgument, Failure::kInvalidParameter,
                    "this account has no ND number (bramka admin inbound add --kind nd)");
    }
  }
  store::InjectedMo mo{0, *from, to, body, ToUnixMillis(clock_.Now())};
  BRAMKA_ASSIGN_OR_RETURN(int64_t id, store_.QueueInjectedMo(mo));
  (void)id;
  return Ok();
}

Result<std::vector<store::InboxMessage>> GatewayService::PremiumMessages(const Caller& caller) {
  store::InboxQuery q;
  q.account_id = caller.account_id;
  q.type = "pre";
  BRAMKA_ASSIGN_OR_RETURN(store::InboxPage page, store_.QueryInbox(q));
  return std::move(page.items);
}

Result<SubmitResult> GatewayService::AnswerPremium(const Caller& caller, int64_t id,
                                                   const std::string& phone,
                                                   const std::string& text,
                                                   const std::string& gate) {
  if (id <= 0) {
    return Refuse(ErrorCode::kInvalidArgument, Failure::kMissingParameter, "id is required");
  }
  if (text.empty()) {
    return Refuse(ErrorCode::kInvalidArgument, Failure::kTextEmpty, "text is required");
  }
  auto m = store_.GetInboxMessage(caller.account_id, id);
  if (!m.ok() || m->type != "pre") {
    if (!m.ok() && m.error().code != ErrorCode::kNotFound) return Fail(m.take_error());
    return Refuse(ErrorCode::kNotFound, Failure::kPremiumRefused,
                  "premium message " + std::to_string(id) + " not found");
  }
  if (!gate.empty() && gate != m->to_number) {
    return Refuse(ErrorCode::kInvalidArgument, Failure::kPremiumRefused,
                  "gate " + gate + " is not the number premium message " + std::to_string(id) +
                      " was sent to (" + m->to_number + ")");
  }
  if (!phone.empty()) {
    auto p = phones_.Normalize(phone);
    if (!p.ok() || *p != m->phone) {
      return Refuse(ErrorCode::kInvalidArgument, Failure::kPremiumRefused,
                    "phone " + phone + " did not send premium message " + std::to_string(id));
    }
  }
  auto taken = store_.TakePremiumAnswer(caller.account_id, id);
  if (!taken.ok()) {
    if (taken.error().code == ErrorCode::kRejected || taken.error().code == ErrorCode::kNotFound) {
      return Refuse(ErrorCode::kRejected, Failure::kPremiumRefused, taken.error().message);
    }
    return Fail(taken.take_error());
  }
  SubmitRequest req;
  req.phones = {m->phone};
  req.text = text;
  req.sender = m->to_number;
  req.sender_is_own_number = true;
  req.source = "premium";
  return Submit(caller, std::move(req));
}

Result<GatewayService::QuizView> GatewayService::ViewQuiz(const Caller& caller, int64_t id) {
  auto quiz = store_.GetQuiz(caller.account_id, id);
  if (!quiz.ok()) {
    if (quiz.error().code != ErrorCode::kNotFound) return Fail(quiz.take_error());
    return Refuse(ErrorCode::kNotFound, Failure::kInvalidId,
                  "quiz " + std::to_string(id) + " not found");
  }
  store::InboxQuery q;
  q.account_id = caller.account_id;
  q.to_number = quiz->number;
  BRAMKA_ASSIGN_OR_RETURN(store::InboxPage page, store_.QueryInbox(q));
  QuizView view;
  view.counts.assign(quiz->options.size(), 0);
  for (const store::InboxMessage& m : page.items) {
    std::vector<std::string> words = Words(m.text);
    size_t at = 0;
    if (!quiz->keyword.empty()) {
      if (words.empty() || words[0] != quiz->keyword) continue;
      at = 1;
    }
    if (at >= words.size()) continue;
    for (size_t i = 0; i < quiz->options.size(); ++i) {
      if (Upper(quiz->options[i]) == words[at]) {
        ++view.counts[i];
        break;
      }
    }
  }
  view.quiz = std::move(*quiz);
  return view;
}

Result<int64_t> GatewayService::AddInboundNumber(const std::string& account_name,
                                                 store::InboundKind kind, const std::string& number,
                                                 const std::string& keyword, int64_t price_grosze,
                                                 int answer_limit) {
  store::InboundNumber n;
  n.kind = kind;
  if (kind != store::InboundKind::kPool) {
    BRAMKA_ASSIGN_OR_RETURN(store::Account account, AccountByName(account_name));
    n.account_id = account.id;
  } else if (!account_name.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "pool numbers belong to no account");
  }
  const bool short_code =
      number.size() <= 6 && !number.empty() &&
      std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (short_code) {
    n.number = number;
  } else {
    auto p = phones_.Normalize(number);
    if (!p.ok()) return Fail(ErrorCode::kInvalidArgument, "number '" + number + "' is not valid");
    n.number = *p;
  }
  if (keyword.find_first_of(" \t") != std::string::npos) {
    return Fail(ErrorCode::kInvalidArgument, "a keyword is one word");
  }
  if (price_grosze < 0 || answer_limit < 0) {
    return Fail(ErrorCode::kInvalidArgument, "price and answer limit must not be negative");
  }
  n.keyword = keyword;
  n.price_grosze = price_grosze;
  n.answer_limit = answer_limit;
  n.created_ms = ToUnixMillis(clock_.Now());
  BRAMKA_ASSIGN_OR_RETURN(int64_t id, store_.AddInboundNumber(n));
  std::lock_guard lock(pool_mu_);
  pool_loaded_ms_ = -1;  // re-read the pool at the next ECO message
  return id;
}

Result<std::vector<store::InboundNumber>> GatewayService::ListInboundNumbers() {
  return store_.ListInboundNumbers();
}

Result<void> GatewayService::RemoveInboundNumber(int64_t id) {
  BRAMKA_RETURN_IF_ERROR(store_.DeleteInboundNumber(id));
  std::lock_guard lock(pool_mu_);
  pool_loaded_ms_ = -1;
  return Ok();
}

Result<int64_t> GatewayService::AddQuiz(const std::string& account_name, const std::string& name,
                                        const std::string& number, const std::string& keyword,
                                        const std::vector<std::string>& options) {
  BRAMKA_ASSIGN_OR_RETURN(store::Account account, AccountByName(account_name));
  if (options.empty()) return Fail(ErrorCode::kInvalidArgument, "a quiz needs options");
  store::Quiz q;
  q.account_id = account.id;
  q.name = name;
  auto p = phones_.Normalize(number);
  q.number = number.size() <= 6 ? number : (p.ok() ? *p : number);
  q.keyword = keyword;
  q.options = options;
  q.created_ms = ToUnixMillis(clock_.Now());
  return store_.AddQuiz(q);
}

Result<int64_t> GatewayService::InjectIncoming(const std::string& from, const std::string& to,
                                               const std::string& text) {
  if (from.empty() || to.empty())
    return Fail(ErrorCode::kInvalidArgument, "--from and --to are required");
  auto f = phones_.Normalize(from);
  if (!f.ok()) return Fail(ErrorCode::kInvalidArgument, "--from '" + from + "' is not a number");
  std::string t = to;
  if (to.size() > 6) {
    auto n = phones_.Normalize(to);
    if (!n.ok()) return Fail(ErrorCode::kInvalidArgument, "--to '" + to + "' is not a number");
    t = *n;
  }
  return store_.QueueInjectedMo({0, *f, t, text, ToUnixMillis(clock_.Now())});
}

Result<store::InboxPage> GatewayService::OperatorInbox(int limit) {
  store::InboxQuery q;
  q.account_id = 0;
  q.limit = limit;
  return store_.QueryInbox(q);
}

}  // namespace bramka::core
