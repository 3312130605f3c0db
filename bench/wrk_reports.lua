-- wrk script: messages/reports, the newest 50 messages of the account per request
-- (keep-alive). The token comes from the environment (BRAMKA_TOKEN); REPORTS_BODY, when
-- set, replaces the request's JSON (scripts/bench_reports.py's DATE_FROM).
local token = os.getenv("BRAMKA_TOKEN")
local body = os.getenv("REPORTS_BODY") or '{"page":1,"limit":50,"order":"desc"}'
request = function()
  return wrk.format("POST", "/messages/reports", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
  }, body)
end

local errors = 0
response = function(status, headers, body)
  if status ~= 200 or not string.find(body, '"items":[{', 1, true) then
    errors = errors + 1
  end
end

done = function(summary, latency, requests)
  io.write(string.format("requests %d, non-success answers %d, req/s %.0f, p50 %.2f ms, p99 %.2f ms\n",
    summary.requests, errors, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
