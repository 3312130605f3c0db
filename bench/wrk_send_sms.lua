-- wrk script: messages/send_sms with one recipient per request (keep-alive).
-- The token comes from the environment (BRAMKA_TOKEN); numbers vary per request.
local token = os.getenv("BRAMKA_TOKEN")
local counter = 0
request = function()
  counter = counter + 1
  local body = string.format('{"phone":"5%08d","text":"bench message %d"}', counter % 100000000, counter)
  return wrk.format("POST", "/messages/send_sms", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
  }, body)
end

local errors = 0
response = function(status, headers, body)
  if status ~= 200 or not string.find(body, '"success":true', 1, true) then
    errors = errors + 1
  end
end

done = function(summary, latency, requests)
  io.write(string.format("requests %d, non-success answers %d, req/s %.0f, p50 %.2f ms, p99 %.2f ms\n",
    summary.requests, errors, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
