// The panel's integrations page for the session's account: API tokens, SMPP users,
// FTP and SQL sources, callback URLs. The same core calls as `bramka admin`
// (src/app/*_admin.cc), scoped to the logged-in account (docs/adr/0017).
#include <algorithm>
#include <ctime>
#include <sstream>

#include "common/secret_box.h"
#include "common/time_format.h"
#include "ingest/ftp/poller.h"
#include "ingest/ftp/source_config.h"
#include "ingest/sql/client.h"
#include "ingest/sql/layout.h"
#include "ingest/sql/sql_url.h"
#include "panel/panel_impl.h"

namespace bramka::panel {

namespace {
// "10.0.0.0/8, 127.0.0.1" or one per line -> a list.
std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out;
  std::string item;
  for (char c : text + ",") {
    if (c == ',' || c == ' ' || c == '\n' || c == '\r' || c == ';' || c == '\t') {
      if (!item.empty()) out.push_back(item);
      item.clear();
    } else {
      item += c;
    }
  }
  return out;
}
}  // namespace

MountedResponse Panel::Impl::Customer(const Who& who, const MountedRequest& request,
                                      std::string_view path) {
  const bool post = request.method == "POST";
  const std::string& name = who.caller.account_name;
  store::Store& store = service_.store();
  auto body_or = JsonBody(request);
  if (!body_or) return ErrorAnswer(400, "body", "the body must be a JSON object");
  const Json& body = *body_or;

  if (path == "integrations" && !post) {
    Json out = Json::object();
    Json smpp = Json::array();
    if (auto users = service_.ListSmppUsers(); users.ok()) {
      for (const auto& u : *users) {
        if (u.account_id != who.caller.account_id) continue;
        smpp.push_back({{"id", u.id},
                        {"system_id", u.system_id},
                        {"allowed_ips", u.allowed_cidrs},
                        {"max_binds", u.max_binds},
                        {"tps", u.tps}});
      }
    }
    out["smpp_users"] = smpp;
    Json ftp = Json::array();
    if (auto sources = store.ListFtpSources(who.caller.account_id); sources.ok()) {
      for (const auto& s : *sources) {
        ftp.push_back({{"id", s.id},
                       {"description", ingest::ftp::DescribeSource(s)},
                       {"last_poll", s.last_poll_ms ? FormatApiTimeMs(s.last_poll_ms) : ""},
                       {"last_error", s.last_error},
                       {"files", s.files_processed},
                       {"lines", s.lines_processed}});
      }
    }
    out["ftp_sources"] = ftp;
    Json sql = Json::array();
    if (auto sources = service_.ListSqlSources(name); sources.ok()) {
      for (const auto& s : *sources) {
        sql.push_back({{"id", s.id},
                       {"engine", s.engine},
                       {"host", s.host},
                       {"port", s.port},
                       {"database", s.database},
                       {"user", s.user},
                       {"state", s.state},
                       {"last_error", s.last_error}});
      }
    }
    out["sql_sources"] = sql;
    if (auto cb = service_.GetCallbackUrls(name); cb.ok()) {
      out["callbacks"] = {{"dlr_url", cb->dlr_url}, {"mo_url", cb->mo_url}};
    }
    return JsonAnswer(200, out);
  }
  if (path == "traffic" && !post) {
    // The dashboard's counts per local day (the last 7 days, today last), counted by
    // the store over every message (reports' totals), not sampled.
    Json days = Json::array();
    const std::time_t now = std::chrono::system_clock::to_time_t(clock_.Now());
    std::tm day{};
    localtime_r(&now, &day);
    day.tm_hour = day.tm_min = day.tm_sec = 0;
    day.tm_isdst = -1;
    day.tm_mday -= 6;
    for (int i = 0; i < 7; ++i) {
      std::tm start = day, end = day;
      start.tm_mday += i;
      end.tm_mday += i + 1;
      start.tm_isdst = end.tm_isdst = -1;
      const int64_t from_ms = static_cast<int64_t>(std::mktime(&start)) * 1000;
      const int64_t to_ms = static_cast<int64_t>(std::mktime(&end)) * 1000 - 1;
      auto count = [&](std::optional<store::MessageStatus> status) -> int64_t {
        store::MessageQuery q;
        q.status = status;
        q.from_ms = from_ms;
        q.to_ms = to_ms;
        q.limit = 1;
        auto page = service_.Reports(who.caller, q);
        return page.ok() ? page->total : 0;
      };
      char date[11];
      std::strftime(date, sizeof date, "%Y-%m-%d", &start);
      days.push_back({{"date", date},
                      {"sent", count(std::nullopt)},
                      {"delivered", count(store::MessageStatus::kDelivered)},
                      {"undelivered", count(store::MessageStatus::kUndelivered) +
                                          count(store::MessageStatus::kUnsent)}});
    }
    return JsonAnswer(200, Json{{"days", days}});
  }
  if (!post) return ErrorAnswer(404, "path", "no such panel endpoint");

  if (path == "tokens") {
    std::string label = Str(body, "label");
    if (label.empty()) label = "panel";
    auto token = service_.CreateToken(name, label);
    if (!token.ok()) return CoreErrorAnswer(token.error(), {}, "label");
    return JsonAnswer(200, Json{{"token", *token}, {"label", label}});
  }
  if (path == "smpp_users") {
    const std::string system_id = Str(body, "system_id");
    const std::string password = Str(body, "password");
    if (system_id.empty()) return ErrorAnswer(400, "missing", "enter the system_id", "system_id");
    if (password.empty()) return ErrorAnswer(400, "missing", "enter the password", "password");
    auto id = service_.CreateSmppUser(
        name, system_id, password, SplitList(Str(body, "allowed_ips")),
        static_cast<int>(Int(body, "max_binds", 10)), static_cast<int>(Int(body, "tps", 50)));
    if (!id.ok()) {
      if (id.error().code == ErrorCode::kAlreadyExists) {
        return ErrorAnswer(409, "taken", "this system_id is taken", "system_id");
      }
      return CoreErrorAnswer(id.error(),
                             {{"password", "password"},
                              {"cidr", "allowed_ips"},
                              {"address", "allowed_ips"},
                              {"bind", "max_binds"},
                              {"tps", "tps"}},
                             "system_id");
    }
    return JsonAnswer(200, Json{{"id", *id}, {"system_id", system_id}});
  }
  if (path == "ftp_sources") {
    if (Str(body, "url").empty()) {
      return ErrorAnswer(400, "missing", "enter the FTP address", "url");
    }
    auto box = SecretBox::FromKeyFile(options_.secret_key_file, /*create=*/true);
    if (!box.ok()) return CoreErrorAnswer(box.error(), {}, "url");
    ingest::ftp::SourceRequest r;
    r.url = Str(body, "url");
    r.tls = Str(body, "tls");
    r.interval_s = static_cast<int>(Int(body, "interval_s", 60));
    r.text = Str(body, "text");
    r.sender = Str(body, "sender");
    if (!Str(body, "after").empty()) r.after = Str(body, "after");
    if (!Str(body, "move_dir").empty()) r.move_dir = Str(body, "move_dir");
    // A CA file is a path on the server: the operator's business (bramka admin ftp add).
    auto source =
        ingest::ftp::BuildSource(who.caller.account_id, r, *box, ToUnixMillis(clock_.Now()));
    if (!source.ok()) {
      return CoreErrorAnswer(source.error(),
                             {{"interval", "interval_s"},
                              {"tls", "tls"},
                              {"after", "after"},
                              {"move", "move_dir"},
                              {"sender", "sender"}},
                             "url");
    }
    auto id = store.AddFtpSource(*source);
    if (!id.ok()) return CoreErrorAnswer(id.error(), {}, "url");
    return JsonAnswer(200,
                      Json{{"id", *id}, {"description", ingest::ftp::DescribeSource(*source)}});
  }
  if (path == "ftp_sources/remove") {
    auto r = store.RemoveFtpSource(who.caller.account_id, Int(body, "id", 0));
    if (!r.ok()) return CoreErrorAnswer(r.error(), {}, "id");
    return JsonAnswer(200, Json{{"success", true}});
  }
  if (path == "ftp_sources/test") {
    // "Test connection": log in and list the folder, as the poller will. Blocks a
    // worker for at most the connect timeout plus the stall timeout.
    auto sources = store.ListFtpSources(who.caller.account_id);
    if (!sources.ok()) return CoreErrorAnswer(sources.error(), {}, "id");
    const int64_t id = Int(body, "id", 0);
    auto it = std::find_if(sources->begin(), sources->end(),
                           [id](const store::FtpSource& s) { return s.id == id; });
    if (it == sources->end()) return ErrorAnswer(404, "id", "no such FTP source", "id");
    auto box = SecretBox::FromKeyFile(options_.secret_key_file, /*create=*/false);
    if (!box.ok()) return CoreErrorAnswer(box.error(), {}, "id");
    auto endpoint = ingest::ftp::EndpointOf(*it, *box);
    if (!endpoint.ok()) return CoreErrorAnswer(endpoint.error(), {}, "id");
    endpoint->connect_timeout_s = 5;
    endpoint->stall_timeout_s = 5;
    auto names = ingest::ftp::MakeCurlFtpClient(*endpoint)->List();
    if (!names.ok()) return JsonAnswer(200, Json{{"ok", false}, {"error", names.error().message}});
    return JsonAnswer(200, Json{{"ok", true}, {"files", names->size()}});
  }
  if (path == "sql_sources") {
    // The standard table layout (SerwerSMS_MT/MO); individual mappings stay with
    // `bramka admin sql add --structure individual --map ...`.
    const std::string url_text = Str(body, "url");
    if (url_text.empty()) return ErrorAnswer(400, "missing", "enter the database address", "url");
    auto url = ingest::sql::ParseSqlUrl(url_text);
    if (!url.ok()) return CoreErrorAnswer(url.error(), {}, "url");
    if (!Str(body, "password").empty()) url->password = Str(body, "password");
    auto box = SecretBox::FromKeyFile(options_.secret_key_file, /*create=*/true);
    if (!box.ok()) return CoreErrorAnswer(box.error(), {}, "url");
    store::SqlSource src;
    src.engine = std::string(ingest::sql::EngineName(url->engine));
    src.host = url->host;
    src.port = url->port;
    src.database = url->database;
    src.user = url->user;
    src.password_enc = box->Seal(url->password);
    src.tls = Str(body, "tls").empty() ? "prefer" : Str(body, "tls");
    src.structure = "standard";
    src.interval_s = static_cast<int>(Int(body, "interval_s", 10));
    auto id = service_.AddSqlSource(name, src);
    if (!id.ok()) {
      return CoreErrorAnswer(id.error(), {{"interval", "interval_s"}, {"tls", "tls"}}, "url");
    }
    return JsonAnswer(200, Json{{"id", *id}});
  }
  if (path == "sql_sources/test") {
    // "Test connection": connect as the poller will and run a trivial query.
    auto sources = service_.ListSqlSources(name);
    if (!sources.ok()) return CoreErrorAnswer(sources.error(), {}, "id");
    const int64_t id = Int(body, "id", 0);
    auto it = std::find_if(sources->begin(), sources->end(),
                           [id](const store::SqlSource& s) { return s.id == id; });
    if (it == sources->end()) return ErrorAnswer(404, "id", "no such SQL source", "id");
    auto box = SecretBox::FromKeyFile(options_.secret_key_file, /*create=*/false);
    if (!box.ok()) return CoreErrorAnswer(box.error(), {}, "id");
    ingest::sql::ConnectParams p;
    auto engine = ingest::sql::ParseEngine(it->engine);
    if (!engine.ok()) return CoreErrorAnswer(engine.error(), {}, "id");
    p.engine = *engine;
    p.host = it->host;
    p.port = it->port;
    p.database = it->database;
    p.user = it->user;
    auto password = box->Open(it->password_enc);
    if (!password.ok()) return CoreErrorAnswer(password.error(), {}, "id");
    p.password = *password;
    p.tls = it->tls;
    p.timeout_s = 5;
    auto conn = ingest::sql::Connect(p);
    if (conn.ok()) {
      if (auto q = (*conn)->Query("SELECT 1"); !q.ok()) conn = q.take_error();
    }
    if (!conn.ok()) return JsonAnswer(200, Json{{"ok", false}, {"error", conn.error().message}});
    return JsonAnswer(200, Json{{"ok", true}});
  }
  if (path == "sql_sources/remove") {
    auto r = service_.RemoveSqlSource(name, Int(body, "id", 0));
    if (!r.ok()) return CoreErrorAnswer(r.error(), {}, "id");
    return JsonAnswer(200, Json{{"success", true}});
  }
  if (path == "callbacks") {
    auto r = service_.SetCallbackUrls(name, Str(body, "dlr_url"), Str(body, "mo_url"));
    if (!r.ok()) return CoreErrorAnswer(r.error(), {{"mo", "mo_url"}}, "dlr_url");
    return JsonAnswer(200, Json{{"dlr_url", r->dlr_url}, {"mo_url", r->mo_url}});
  }
  return ErrorAnswer(404, "path", "no such panel endpoint");
}

}  // namespace bramka::panel
