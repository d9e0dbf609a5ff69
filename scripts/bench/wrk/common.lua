-- Shared by the wrk scripts of `make bench` (crates/app/benches/throughput). The bench sets
-- MTDB_BENCH_DIR (where it wrote the tokens) and MTDB_BENCH_GROUPS (the loaded groups).
local M = {}

M.dir = os.getenv("MTDB_BENCH_DIR")
M.groups = tonumber(os.getenv("MTDB_BENCH_GROUPS"))

-- The id of loaded tenant n: as crates/app/benches/throughput/shape.rs and the pgbench
-- scripts compute it. Two halves, so that no step needs integers past 2^31.
function M.uuid(n)
  local high = math.floor(n / 16777216)
  return string.format("00000000-0000-0000-0000-%06x%06x", high, n - high * 16777216)
end

-- A Lua file returning a list of tokens, written by the bench.
function M.tokens(name)
  return dofile(M.dir .. "/" .. name .. ".lua")
end

-- Group parent i of #tokens (0-based), as in shape.rs: 16 * (1 + i * groups / #tokens).
function M.group_parent(i, count)
  return 16 * (1 + math.floor(i * M.groups / count))
end

-- GET /api/v1/tenants?limit=100 with a random token of the list named `name`.
function M.list_request(name)
  local tokens = M.tokens(name)
  return function()
    local i = math.random(1, #tokens)
    return wrk.format("GET", "/api/v1/tenants?limit=100", { Authorization = "Bearer " .. tokens[i] })
  end
end

local threads = 0
function M.setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

function M.seed()
  math.randomseed(os.time() * 1000 + (thread_number or 0))
end

-- One line the bench parses; latencies in microseconds.
function M.done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "MTDB-WRK requests=%d duration_us=%d p50_us=%d p99_us=%d errors=%d non2xx=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end

return M
