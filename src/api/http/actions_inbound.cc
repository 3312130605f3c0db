// API v2 inbox actions: messages/recived (alias messages/received, spec §4.8),
// messages/send_nd and send_ndi (aliases sendNd/sendNdi, §4.9), premium/index,
// premium/send and quiz/view (§4.11). Parameters in, documents out; the rules
// are core::GatewayService's (core/inbound.cc; docs/adr/0011).

#include <string>
#include <string_view>

#include "api/http/action_params.h"
#include "api/http/actions.h"
#include "api/http/text_util.h"
#include "common/time_format.h"
#include "core/gateway_service.h"

namespace bramka::api::http {
namespace {

constexpr std::string_view kInboundActions[] = {
    "messages/recived", "messages/send_nd", "messages/send_ndi",
    "premium/index",    "premium/send",     "quiz/view",
};

// The contact of the account with this phone, or null (show_contact).
Document ContactOf(core::GatewayService& gw, const core::Caller& caller, const std::string& phone) {
  auto found = gw.GroupsOfPhone(caller, phone);
  if (!found.ok() || found->empty()) return Document();
  auto v = gw.ViewContact(caller, found->front().contact_id);
  if (!v.ok()) return Document();
  const store::Contact& c = v->contact;
  Document d = Document::object();
  d["id"] = c.id;
  d["phone"] = c.phone;
  d["first_name"] = c.first_name;
  d["last_name"] = c.last_name;
  d["company"] = c.company;
  d["email"] = c.email;
  return d;
}

}  // namespace

bool ActionHandler::IsInboundAction(std::string_view action) {
  for (std::string_view a : kInboundActions) {
    if (a == action) return true;
  }
  return false;
}

ApiAnswer ActionHandler::Inbound(std::string_view action, const core::Caller& caller,
                                 const Params& p) {
  auto answer = [&]() -> Result<ApiAnswer> {
    if (action == "messages/recived") {
      core::GatewayService::ReceivedQuery q;
      BRAMKA_ASSIGN_OR_RETURN(q.type, TrimmedText(p, "type"));
      q.type = AsciiLower(q.type);
      BRAMKA_ASSIGN_OR_RETURN(q.ndi, TrimmedText(p, "ndi"));
      BRAMKA_ASSIGN_OR_RETURN(q.phones, p.GetList("phone"));
      BRAMKA_ASSIGN_OR_RETURN(int64_t from_ms, TimeParam(p, "date_from", false));
      BRAMKA_ASSIGN_OR_RETURN(int64_t to_ms, TimeParam(p, "date_to", true));
      if (from_ms > 0) q.date_from = FromUnixMillis(from_ms);
      if (to_ms > 0) q.date_to = FromUnixMillis(to_ms);
      BRAMKA_ASSIGN_OR_RETURN(std::optional<bool> read, p.GetBool("read"));
      q.read = read.value_or(false);
      BRAMKA_ASSIGN_OR_RETURN(std::optional<bool> show_contact, p.GetBool("show_contact"));
      BRAMKA_ASSIGN_OR_RETURN(Paging paging, PagingParams(p));
      q.page = paging.page;
      q.limit = paging.limit;
      BRAMKA_ASSIGN_OR_RETURN(std::string order, TrimmedText(p, "order"));
      q.descending = AsciiLower(order) != "asc";
      BRAMKA_ASSIGN_OR_RETURN(store::InboxPage page, service_.ReceivedMessages(caller, q));
      Document items = Document::array();
      for (const store::InboxMessage& m : page.items) {
        Document d = Document::object();
        d["id"] = m.id;
        d["type"] = m.type;
        d["phone"] = m.phone;
        const std::string at = FormatApiTimeMs(m.received_ms);
        d["recived"] = at;   // the documented misspelling
        d["received"] = at;  // and the doc-comment's spelling (spec §4.8)
        d["message_id"] = m.message_id.empty() ? Document() : Document(m.message_id);
        d["to_number"] = m.to_number;
        auto blocked = service_.IsBlacklisted(caller, m.phone);
        d["blacklist"] = blocked.ok() && *blocked;
        d["text"] = m.text;
        if (show_contact.value_or(false)) d["contact"] = ContactOf(service_, caller, m.phone);
        items.push_back(std::move(d));
      }
      Document doc = Document::object();
      doc["paging"] = PagingDocument(paging, page.total);
      doc["items"] = std::move(items);
      return ApiAnswer{std::move(doc), 0};
    }
    if (action == "messages/send_nd" || action == "messages/send_ndi") {
      BRAMKA_ASSIGN_OR_RETURN(std::string phone, TrimmedText(p, "phone"));
      BRAMKA_ASSIGN_OR_RETURN(std::optional<std::string> text, p.GetString("text"));
      std::string ndi;
      if (action == "messages/send_ndi") {
        BRAMKA_ASSIGN_OR_RETURN(ndi, TrimmedText(p, "ndi_number"));
        if (ndi.empty()) return Fail(Missing("ndi_number"));
      }
      if (phone.empty()) return Fail(Missing("phone"));
      BRAMKA_RETURN_IF_ERROR(service_.SendTestIncoming(caller, phone, text.value_or(""), ndi));
      return ApiAnswer{Success(true), 0};
    }
    if (action == "premium/index") {
      BRAMKA_ASSIGN_OR_RETURN(auto list, service_.PremiumMessages(caller));
      Document items = Document::array();
      for (const store::InboxMessage& m : list) {
        Document d = Document::object();
        d["id"] = m.id;
        d["to_number"] = m.to_number;
        d["from_number"] = m.phone;
        d["date"] = FormatApiTimeMs(m.received_ms);
        d["limit"] = m.answers_left;
        d["text"] = m.text;
        items.push_back(std::move(d));
      }
      return ApiAnswer{Document{{"items", std::move(items)}}, 0};
    }
    if (action == "premium/send") {
      BRAMKA_ASSIGN_OR_RETURN(std::optional<int64_t> id, p.GetInt("id"));
      if (!id) return Fail(Missing("id"));
      BRAMKA_ASSIGN_OR_RETURN(std::string phone, TrimmedText(p, "phone"));
      BRAMKA_ASSIGN_OR_RETURN(std::optional<std::string> text, p.GetString("text"));
      BRAMKA_ASSIGN_OR_RETURN(std::string gate, TrimmedText(p, "gate"));
      if (!text || text->empty()) return Fail(Missing("text"));
      BRAMKA_ASSIGN_OR_RETURN(core::SubmitResult sent,
                              service_.AnswerPremium(caller, *id, phone, *text, gate));
      Document doc = Success(sent.queued > 0);
      if (!sent.items.empty() && !sent.items[0].id.empty()) doc["id"] = sent.items[0].id;
      return ApiAnswer{std::move(doc), 0};
    }
    if (action == "quiz/view") {
      BRAMKA_ASSIGN_OR_RETURN(std::optional<int64_t> id, p.GetInt("id"));
      if (!id) return Fail(Missing("id"));
      BRAMKA_ASSIGN_OR_RETURN(core::GatewayService::QuizView v, service_.ViewQuiz(caller, *id));
      Document items = Document::array();
      for (size_t i = 0; i < v.counts.size(); ++i) {
        items.push_back(Document{{"id", static_cast<int64_t>(i + 1)},
                                 {"name", v.quiz.options[i]},
                                 {"count", v.counts[i]}});
      }
      Document doc = Document::object();
      doc["id"] = v.quiz.id;
      doc["name"] = v.quiz.name;
      doc["items"] = std::move(items);
      return ApiAnswer{std::move(doc), 0};
    }
    return ErrorAnswer(api_code::kInvalidAction);
  }();
  if (!answer.ok()) return ErrorAnswer(answer.error());
  return std::move(*answer);
}

}  // namespace bramka::api::http
