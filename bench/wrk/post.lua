-- wrk script: POSTs one JSON body and prints the run's figures as one JSON line prefixed with "WRK_JSON ".
-- Parameters come from the environment: BENCH_PATH, BENCH_BODY_FILE, BENCH_HEADERS (the request's headers, one
-- "Name: value" per line, as the dialect's clients send them: content type, key, version), BENCH_COUNT_SENT (set to
-- 1 to count every request written, "sent" in the summary, including those still unanswered when the run ends; -1
-- when not counted).
local function read_file(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

wrk.method = "POST"
wrk.path = os.getenv("BENCH_PATH") or "/v1/chat/completions"
wrk.body = read_file(assert(os.getenv("BENCH_BODY_FILE"), "BENCH_BODY_FILE not set"))
for line in (os.getenv("BENCH_HEADERS") or "Content-Type: application/json"):gmatch("[^\n]+") do
  local name, value = line:match("^([^:]+):%s*(.*)$")
  if name then
    wrk.headers[name] = value
  end
end

-- Counting needs a request() function, which makes wrk call into Lua for every request: only when asked, so the
-- other scenarios run wrk's static request as before.
local threads = {}
if os.getenv("BENCH_COUNT_SENT") == "1" then
  local formatted
  sent = 0
  function request()
    sent = sent + 1
    if not formatted then
      formatted = wrk.format()
    end
    return formatted
  end
  function setup(thread)
    table.insert(threads, thread)
  end
end

-- wrk calls request() once more than it sends: before the threads start, on the first thread's state, to check
-- the request parses (script_verify_request). tools' WrkSentCountTest holds the count to what a server receives.
local VERIFICATION_CALLS = 1

local function total_sent()
  if #threads == 0 then
    return -1
  end
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("sent")
  end
  return total - VERIFICATION_CALLS
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"sent":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"min":%d,"mean":%.1f,"p50":%d,"p90":%d,"p99":%d,"p999":%d,"max":%d}}\n',
    summary.requests, total_sent(), summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.min, latency.mean, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency:percentile(99.9), latency.max))
end
