-- wrk script used by tools/bench/run for every load: counts each HTTP status code wrk receives.
--
-- wrk on its own reports only statuses above 399 as errors, so a 303 redirect to /login (a lost or
-- refused session) would count as a success. tools/bench/run counts only 200 as success.
-- At the end it prints one line, "BENCH_RESULT {json}", that tools/bench/run parses.
--
-- Three optional environment variables, for lesson 07's runs:
--   BENCH_POST_BODY   send every request as a form POST with this body (a login flood)
--   BENCH_STOP_AFTER  each thread stops after this many responses (a fixed number of logins)
--   BENCH_COOKIES     a file of Cookie header values, one a line: request i sends line i (mod n)
-- With BENCH_COOKIES, the JSON also holds "per_second": the statuses counted in each second of
-- the Unix clock, so that a run can say when the 503s came.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local body = os.getenv("BENCH_POST_BODY")
if body then
  wrk.method = "POST"
  wrk.body = body
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end
local stop_after = tonumber(os.getenv("BENCH_STOP_AFTER") or "")
local cookie_file = os.getenv("BENCH_COOKIES")

function init(args)
  statuses = {}
  per_second = {}
  responses = 0
  cookies = {}
  sent = 0
  if cookie_file then
    for line in io.lines(cookie_file) do table.insert(cookies, line) end
  end
end

if cookie_file then
  function request()
    sent = sent + 1
    return wrk.format(nil, nil, { Cookie = cookies[(sent % #cookies) + 1] })
  end
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if cookie_file then
    local key = os.time() .. ":" .. status
    per_second[key] = (per_second[key] or 0) + 1
  end
  responses = responses + 1
  if stop_after and responses >= stop_after then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local total = {}
  local seconds = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + n
    end
    for key, n in pairs(thread:get("per_second")) do
      seconds[key] = (seconds[key] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(total) do
    table.insert(parts, string.format('"%d": %d', status, n))
  end
  local second_parts = {}
  for key, n in pairs(seconds) do
    table.insert(second_parts, string.format('"%s": %d', key, n))
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "max_us": %d, '
      .. '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "timeouts": %d, '
      .. '"statuses": {%s}, "per_second": {%s}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, e.connect, e.read, e.write, e.timeout, table.concat(parts, ", "),
    table.concat(second_parts, ", ")))
end
