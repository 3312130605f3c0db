#pragma once
// One poll of one FTP source: list, download, parse, submit, record, write the
// result file, delete or move (ADR 0012). The exactly-once rules:
//  1. A file whose name is recorded done is never processed again (spec §8); it is
//     only deleted or moved again if it is still there.
//  2. Lines are submitted through GatewayService with unique ids derived from
//     (source, file name, line, column) (UniqueIdFor); after the commit their
//     outcome is recorded in the store, and only lines not yet recorded are
//     submitted. A crash between the commit and the record resubmits those lines,
//     which core answers with the earlier messages (ADR 0002): no line is sent twice.
//  3. The result file is built from the recorded outcomes, uploaded, then the file
//     is marked done, then deleted or moved. A crash in between repeats the upload
//     (it is replaced) or the removal.
// Thread-safety: one PollOnce per source at a time.

#include <atomic>
#include <cstdint>
#include <string>

#include "common/clock.h"
#include "common/result.h"
#include "core/gateway_service.h"
#include "ingest/ftp/file_format.h"
#include "ingest/ftp/ftp_client.h"
#include "store/store.h"

namespace bramka::ingest::ftp {

struct ProcessorOptions {
  size_t batch_size = 500;  // lines per submit and per progress record
  size_t max_file_bytes = kMaxFileBytes;
  size_t max_files = kMaxFilesPerDirectory;
  // When set and true, the poll stops after the batch in progress is recorded.
  const std::atomic<bool>* cancel = nullptr;
};

// The unique_id of a file's line: "F<source>H<hash of name>L<line>[C<column>]",
// letters and digits only, at most 50 characters.
std::string UniqueIdFor(int64_t source_id, const std::string& file_name, int line, int column);

// "a.txt" -> "a.txt.result": not .txt/.csv, so never taken as input.
std::string ResultFileName(const std::string& name);

// The result file: a header, then `LINE;NUMER;OK;MESSAGE_ID` or
// `LINE;NUMER;ERROR;REASON` per recorded line (CRLF, UTF-8).
std::string FormatResultFile(const std::string& name, const store::FtpFileState& state);

struct PollStats {
  int files = 0;  // files finished in this poll
  int64_t lines = 0;
};

// Processes every input file of the source once. Per-file problems (too large, a
// broken transfer) are returned as the poll's error after the other files were
// tried; an error listing the directory ends the poll.
Result<PollStats> PollOnce(store::Store& store, core::GatewayService& gateway, Clock& clock,
                           FtpClient& client, const store::FtpSource& source,
                           const ProcessorOptions& options);

}  // namespace bramka::ingest::ftp
