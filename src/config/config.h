#pragma once
// bramka.toml loaded once into plain structs with documented defaults.
// Unknown keys are an error (a typo must not silently fall back to a
// default); relative paths are resolved against the config file's folder.
// Secrets never appear here in clear beyond what the operator wrote.

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"

namespace bramka::config {

struct ServerConfig {
  std::string timezone = "Europe/Warsaw";  // API dates are local time (spec §3)
  std::string log_format = "text";         // text | json | logfmt (docs/adr/0018)
  std::string log_level = "info";
  std::string node_id = "node-1";
  int threads = 2;  // I/O threads for the listeners
};

struct HttpConfig {
  std::string bind = "127.0.0.1";
  int port = 8080;  // 0 = any free port (written to <data_dir>/listeners.json)
  bool https = true;
  int https_port = 8443;
  std::string cert_file = "tls/cert.pem";
  std::string key_file = "tls/key.pem";
  int64_t max_body_bytes = 32 << 20;
  int idle_timeout_s = 60;  // reliability: a request's header/body must arrive within this
};

struct SmppConfig {
  std::string bind = "127.0.0.1";
  int port = 2775;
  int tls_port = 3550;
  int session_init_timeout_s = 30;  // reliability: a connection must bind within this
  int max_pending_requests = 100;   // reliability: unanswered requests per bind (then THROTTLED)
};

struct StoreConfig {
  std::string engine = "sqlite";  // sqlite | postgres
  std::string path = "data/bramka.db";
  // ---- engine = "postgres" (docs/adr/0022) ----
  // libpq URL postgres://user@host:port/db (or a key=value connection
  // string); keep the password out of it: PGPASSWORD or ~/.pgpass (PGPASSFILE).
  std::string url;
  int connections = 8;  // pooled connections per node
  // ---- s6-latency (docs/adr/0035) ----
  // engine = "sqlite": nap length (µs) of the thread that keeps a vCPU awake while the
  // WAL's fdatasync is in flight (store/sqlite/sync_waker.h); 0 = off (the default until
  // it is measured on a quiet machine, docs/performance/session6.md "Session 6: latency").
  int sync_wake_us = 0;
};

struct CoreConfig {
  std::string default_region = "PL";
  uint64_t id_key = 0x6272616d6b61ULL;  // per installation, written by `bramka init`
  int max_recipients = 100'000;
};

struct DeliveryConfig {
  int batch_size = 512;
  int poll_interval_ms = 200;
  int lease_ms = 60'000;
};

struct SimnetFailure {
  std::string prefix;                  // E.164 prefix with '+'
  double rate = 1.0;                   // 0..1
  std::string effect = "undelivered";  // undelivered | reject | temporary
  std::string reason = "unsupported_number";
};

struct SimnetConfig {
  bool enabled = true;
  int submit_delay_ms = 0;
  int receipt_delay_ms = 500;
  uint64_t seed = 1;
  std::vector<SimnetFailure> failures;
  // Incoming (docs/adr/0011): test numbers that reply on their own.
  std::string auto_reply_prefix = "+486000009";
  int auto_reply_delay_ms = 500;
};

// [inbound]: incoming messages (docs/adr/0011).
struct InboundConfig {
  int64_t reply_window_s = 7 * 24 * 3600;  // a reply ties to a message this recent
  int64_t reassembly_timeout_s = 300;      // incomplete multipart messages wait this long
};

// One [[connector]] table: an SMPP client connector to an operator's SMSC
// (src/connectors/smpp/README.md). Enum-like strings are checked at load.
struct ConnectorConfig {
  std::string name;  // unique; what routes name; not "simnet"
  std::string host = "127.0.0.1";
  int port = 2775;
  bool tls = false;  // not supported yet (refused at start)
  std::string system_id;
  std::string password;  // SMPP 3.4: at most 8 characters
  std::string system_type;
  std::string bind_mode = "transceiver";    // transceiver | transmitter | pair (tx + rx binds)
  double tps = 0;                           // submits per second, 0 = unlimited
  int window = 10;                          // outstanding submit_sm
  std::string long_messages = "udh";        // udh | sar | payload
  int data_coding = 0;                      // GSM-7 texts as 0 (SMSC default) or 1 (IA5)
  std::string receipt_id_format = "as_is";  // as_is | hex | decimal
  int enquire_link_s = 10;  // silence before enquire_link; a stalled link is dropped
                            // after enquire_link_s + response_timeout_s (docs/adr/0025)
  int reconnect_s = 1;
  int reconnect_max_s = 30;
  int response_timeout_s = 10;
  int max_queue = 10000;
  std::string eco_sender;  // source_addr for ECO messages; "" = the SMSC's default
};

// [billing]: the operator as the seller on invoices of top-ups (payments/invoice).
struct BillingConfig {
  std::string seller_name = "bramka operator";
  std::vector<std::string> seller_address;  // lines
  std::string seller_tax_id;                // NIP
  std::string bank_account;
  std::string place;  // place of issue
  int vat_percent = 23;
};

// One [[route]] table (delivery::RouteRule); routes are tried in file order.
struct RouteConfig {
  std::string name;
  std::vector<std::string> types;       // eco, full, ...; empty = any
  std::vector<std::string> prefixes;    // E.164 prefixes; empty = any number
  std::vector<int64_t> accounts;        // empty = any account
  std::vector<std::string> connectors;  // failover order; required
  bool round_robin = false;
  std::vector<std::string> senders;  // sender names; "" = ECO; empty = any
  std::vector<int64_t> weights;      // empty or one per connector (weighted spreading)
  double price = 0;                  // PLN per SMS part on this route (cost metrics)
};

// [notify]: callbacks (webhooks out, src/notify/README.md).
struct NotifyConfig {
  bool enabled = true;
  int max_concurrency = 16;  // requests in flight at most
  int connect_timeout_ms = 5'000;
  int timeout_ms = 10'000;              // per request, connect included
  int poll_interval_ms = 1'000;         // look for due callbacks at least this often
  int64_t initial_backoff_ms = 10'000;  // after the first unacknowledged call; doubles
  int64_t max_backoff_ms = 3'600'000;   // cap of the doubling
  int64_t max_age_s = 259'200;          // give up (kept as failed) after 3 days
  bool verify_tls = true;               // check https receivers' certificates
  // reliability (ADR 0025): call receivers on loopback/private/link-local addresses
  bool allow_private_urls = false;
};

// ---- accounts area (docs/adr/0008) ----
// [operator]: what account/help answers, the system's predefined sender names
// (any account may send with them), and the accounts account/add refuses (4312).
struct OperatorConfig {
  std::string telephone;
  std::string email;
  std::string form;  // URL of a contact form
  std::string faq;   // URL
  std::string maintainer_name;
  std::string maintainer_email;
  std::string maintainer_telephone;
  std::string maintainer_photo;  // URL
  std::vector<std::string> predefined_senders = {"SMSINFO", "Powiadom"};
  std::vector<std::string> demo_accounts = {"demo"};
};

// [login_throttle]: failed API logins (wrong password or token) per remote
// address and per username in a sliding window; at the limit, further
// attempts are refused (1012) for block_s without checking the password.
struct LoginThrottleConfig {
  int max_failures_per_address = 20;   // 0 = off
  int max_failures_per_username = 10;  // 0 = off
  int window_s = 300;
  int block_s = 300;
};

// ---- reliability area (docs/adr/0021) ----
// [media]: files/add by URL.
struct MediaConfig {
  // Let files/add fetch URLs that resolve to loopback, private or link-local
  // addresses (off: SSRF guard, core/url_guard.h). Tests on 127.0.0.1 set it.
  bool allow_private_urls = false;
};

// ---- SMS via FTP (src/ingest/ftp, ADR 0012) ----
// [ftp]: global knobs of the poller; the sources themselves are per account in the
// store (`bramka admin ftp add`).
struct FtpConfig {
  bool enabled = true;
  int tick_ms = 1000;    // how often due sources are looked for
  int batch_size = 500;  // lines per submit and per progress record
  int connect_timeout_s = 10;
  int stall_timeout_s = 15;  // a transfer stalled this long fails (the next poll retries)
  int64_t max_file_bytes = 5 * 1024 * 1024;  // spec §8
  int max_files = 500;  // spec §8: more files in the directory = nothing processed
};

// ---- cluster: several nodes on one PostgreSQL (docs/adr/0023) ----
struct ClusterConfig {
  bool enabled = false;      // [store] engine = "postgres" only
  std::string node_id;       // "" = BRAMKA_NODE_ID, else <hostname>-<random>
  int heartbeat_ms = 1'000;  // node heartbeat and lease renewal interval
  int lease_ms = 5'000;      // a silent node is dead, its connectors free, after this
};

struct Config {
  std::string path;      // the file it was loaded from
  std::string base_dir;  // its folder
  std::string data_dir = "data";
  ServerConfig server;
  HttpConfig http;
  SmppConfig smpp;
  StoreConfig store;
  CoreConfig core;
  DeliveryConfig delivery;
  SimnetConfig simnet;
  InboundConfig inbound;
  BillingConfig billing;
  std::vector<ConnectorConfig> connectors;  // [[connector]]
  // [[route]] in order. Messages no route matches go to simnet when it is enabled,
  // else through every [[connector]] in file order (failover).
  std::vector<RouteConfig> routes;
  NotifyConfig notify;  // [notify]
  // ---- accounts area ----
  OperatorConfig operator_;            // [operator]
  LoginThrottleConfig login_throttle;  // [login_throttle]
  // ---- SMS via FTP ----
  FtpConfig ftp;  // [ftp]
  // ---- reliability area ----
  MediaConfig media;  // [media]
  // ---- cluster ----
  ClusterConfig cluster;  // [cluster]

  // `p` made absolute against base_dir.
  std::string Resolve(const std::string& p) const;
};

// Reads and validates the file. kInvalidArgument names the file, the key and
// what is wrong; kNotFound when the file does not exist.
Result<Config> LoadConfig(const std::string& path);

// The TOML text `bramka init` writes (every key, commented).
std::string RenderDefaultConfig(const Config& c);

}  // namespace bramka::config
