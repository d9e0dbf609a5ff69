-- GET /api/v1/tenants?limit=100: one of the 16 large parents (150 subsidiaries each) reads
-- its first page, as the pgbench script of the same name does.
local c = dofile(os.getenv("MTDB_BENCH_LUA") .. "/common.lua")
local tokens = c.tokens("large")
setup = c.setup
done = c.done

function init(args)
  c.seed()
end

function request()
  local i = math.random(1, #tokens)
  return wrk.format("GET", "/api/v1/tenants?limit=100", { Authorization = "Bearer " .. tokens[i] })
end
