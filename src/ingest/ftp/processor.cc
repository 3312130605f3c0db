#include "ingest/ftp/processor.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "store/unavailable.h"

namespace bramka::ingest::ftp {
namespace {

uint64_t Fnv1a(std::string_view s, uint64_t h = 1469598103934665603ULL) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

using Key = std::pair<int, int>;

struct FileRun {
  store::Store& store;
  core::GatewayService& gateway;
  Clock& clock;
  const store::FtpSource& source;
  const core::Caller& caller;
  const std::string& name;

  Result<void> Record(const std::vector<store::FtpLineResult>& lines) {
    if (lines.empty()) return Ok();
    return store.RecordFtpLines(source.id, name, lines, ToUnixMillis(clock.Now()));
  }

  static store::FtpLineResult Outcome(const FileLine& l, const std::string& id,
                                      const std::string& error) {
    store::FtpLineResult r;
    r.line = l.line;
    r.column = l.column;
    r.phone = l.phone;
    r.message_id = id;
    r.error = error;
    return r;
  }

  // Submits `lines` (same sender and utf) as one personalised request; on a
  // whole-request refusal, one by one so that one bad line cannot stop the rest.
  Result<void> Submit(const std::vector<const FileLine*>& lines,
                      std::vector<store::FtpLineResult>& out) {
    core::SubmitRequest req;
    req.source = "ftp";
    req.sender = lines[0]->sender;
    req.utf = lines[0]->utf;
    for (const FileLine* l : lines) {
      req.phones.push_back(l->phone);
      req.texts.push_back(l->text);
      req.unique_ids.push_back(UniqueIdFor(source.id, name, l->line, l->column));
    }
    auto r = gateway.Submit(caller, std::move(req));
    if (!r.ok()) {
      if (r.error().code == ErrorCode::kUnavailable || r.error().code == ErrorCode::kInternal) {
        // The store is in trouble: stop, the file stays for the next poll; the source's
        // status says why (reliability, issue 12).
        const std::string_view trouble = store::StorageTroubleText(r.error());
        return Fail(r.error().code, "file " + name + " left for the next poll: bramka cannot " +
                                        "store messages now (" +
                                        std::string(trouble.empty() ? "internal error" : trouble) +
                                        "): " + r.error().message);
      }
      if (lines.size() == 1) {
        out.push_back(Outcome(*lines[0], "", r.error().message));
        return Ok();
      }
      for (const FileLine* l : lines) BRAMKA_RETURN_IF_ERROR(Submit({l}, out));
      return Ok();
    }
    for (size_t i = 0; i < lines.size() && i < r->items.size(); ++i) {
      const auto& item = r->items[i];
      out.push_back(item.queued
                        ? Outcome(*lines[i], item.id, "")
                        : Outcome(*lines[i], "",
                                  item.error_message.empty() ? "not sent" : item.error_message));
    }
    return Ok();
  }
};

Result<void> ApplyAfter(FtpClient& client, const store::FtpSource& source,
                        const std::string& name) {
  Result<void> r = Ok();
  switch (source.after) {
    case store::FtpAfter::kDelete:
      r = client.Remove(name);
      break;
    case store::FtpAfter::kMove:
      r = client.MoveTo(name, source.move_dir);
      break;
    case store::FtpAfter::kKeep:
      break;
  }
  return r;
}

}  // namespace

std::string UniqueIdFor(int64_t source_id, const std::string& file_name, int line, int column) {
  std::string id = fmt::format("F{}H{:016x}L{}", source_id, Fnv1a(file_name), line);
  if (column > 0) id += fmt::format("C{}", column);
  if (id.size() > 50) {
    const std::string key = fmt::format("{}/{}/{}/{}", source_id, file_name, line, column);
    id = fmt::format("G{:016x}{:016x}", Fnv1a(key), Fnv1a(key, 0x84222325cbf29ce4ULL));
  }
  return id;
}

std::string ResultFileName(const std::string& name) { return name + ".result"; }

std::string FormatResultFile(const std::string& name, const store::FtpFileState& state) {
  int ok = 0;
  for (const auto& l : state.lines) ok += l.error.empty();
  std::string out = fmt::format("# bramka: {}: {} lines, {} accepted, {} failed\r\n", name,
                                state.lines.size(), ok, state.lines.size() - ok);
  out += "LINE;NUMER;STATUS;ID_OR_ERROR\r\n";
  for (const auto& l : state.lines) {
    std::string reason = l.error;
    std::replace(reason.begin(), reason.end(), '\n', ' ');
    std::replace(reason.begin(), reason.end(), '\r', ' ');
    out += l.error.empty() ? fmt::format("{};{};OK;{}\r\n", l.line, l.phone, l.message_id)
                           : fmt::format("{};{};ERROR;{}\r\n", l.line, l.phone, reason);
  }
  return out;
}

Result<PollStats> PollOnce(store::Store& store, core::GatewayService& gateway, Clock& clock,
                           FtpClient& client, const store::FtpSource& source,
                           const ProcessorOptions& options) {
  BRAMKA_ASSIGN_OR_RETURN(std::vector<std::string> listing, client.List());
  std::vector<std::string> names;
  for (auto& n : listing) {
    if (IsInputFileName(n)) names.push_back(std::move(n));
  }
  if (names.size() > options.max_files) {
    return Fail(ErrorCode::kRejected,
                fmt::format("{} files in the directory, more than {}: nothing processed until "
                            "there are fewer (spec §8)",
                            names.size(), options.max_files));
  }
  std::sort(names.begin(), names.end());
  BRAMKA_ASSIGN_OR_RETURN(store::Account account, store.GetAccount(source.account_id));
  const core::Caller caller{account.id, account.name};
  FileOptions fopts{source.text, source.sender};

  PollStats stats;
  std::optional<Error> first_error;
  auto note = [&](Error e) {
    spdlog::warn("FTP source {}: {}", source.id, e.message);
    if (!first_error) first_error = std::move(e);
  };
  for (const std::string& name : names) {
    if (options.cancel && options.cancel->load()) break;
    BRAMKA_ASSIGN_OR_RETURN(store::FtpFileState state, store.GetFtpFile(source.id, name));
    if (state.done) {
      // Rule 1: processed before; only the removal may be missing.
      if (auto r = ApplyAfter(client, source, name); !r.ok()) note(r.take_error());
      continue;
    }
    FileRun run{store, gateway, clock, source, caller, name};
    auto bytes = client.Download(name, options.max_file_bytes);
    if (!bytes.ok()) {
      if (bytes.error().code != ErrorCode::kRejected) {
        note(bytes.take_error());
        continue;  // transfer broke off: the next poll tries again
      }
      store::FtpLineResult too_big;
      too_big.error =
          fmt::format("file larger than {} bytes: not processed (spec §8)", options.max_file_bytes);
      BRAMKA_RETURN_IF_ERROR(run.Record({too_big}));
    } else {
      const ParsedFile parsed = ParseFile(*bytes, fopts);
      std::set<Key> recorded;
      for (const auto& l : state.lines) recorded.insert({l.line, l.column});
      std::vector<store::FtpLineResult> out;
      std::vector<const FileLine*> group;
      bool failed = false;
      auto flush_group = [&]() -> Result<void> {
        if (group.empty()) return Ok();
        auto r = run.Submit(group, out);
        group.clear();
        return r;
      };
      auto flush_all = [&]() -> Result<void> {
        BRAMKA_RETURN_IF_ERROR(flush_group());
        auto r = run.Record(out);
        stats.lines += static_cast<int64_t>(out.size());
        out.clear();
        return r;
      };
      size_t pending = 0;
      for (const FileLine& l : parsed.lines) {
        if (recorded.count({l.line, l.column})) continue;
        if (l.kind == FileLine::Kind::kError) {
          out.push_back(FileRun::Outcome(l, "", l.error));
        } else if (l.kind == FileLine::Kind::kHeader) {
          out.push_back(FileRun::Outcome(l, "", "header row, not a message"));
        } else {
          if (!group.empty() && (group[0]->sender != l.sender || group[0]->utf != l.utf)) {
            if (auto r = flush_group(); !r.ok()) {
              note(r.take_error());
              failed = true;
              break;
            }
          }
          group.push_back(&l);
        }
        if (++pending >= options.batch_size) {
          pending = 0;
          if (auto r = flush_all(); !r.ok()) {
            note(r.take_error());
            failed = true;
            break;
          }
          if (options.cancel && options.cancel->load()) {
            note(MakeError(ErrorCode::kUnavailable,
                           "stopping; " + name + " goes on after the restart"));
            failed = true;
            break;
          }
        }
      }
      if (!failed) {
        if (auto r = flush_all(); !r.ok()) {
          note(r.take_error());
          failed = true;
        }
      }
      if (failed) continue;
    }
    // Rule 3.
    BRAMKA_ASSIGN_OR_RETURN(store::FtpFileState final_state, store.GetFtpFile(source.id, name));
    if (auto r = client.Upload(ResultFileName(name), FormatResultFile(name, final_state));
        !r.ok()) {
      note(r.take_error());
      continue;
    }
    BRAMKA_RETURN_IF_ERROR(store.FinishFtpFile(source.id, name, ToUnixMillis(clock.Now())));
    ++stats.files;
    spdlog::info("FTP source {}: {} processed ({} lines)", source.id, name,
                 final_state.lines.size());
    if (auto r = ApplyAfter(client, source, name); !r.ok()) note(r.take_error());
  }
  if (first_error) return *first_error;
  return stats;
}

}  // namespace bramka::ingest::ftp
