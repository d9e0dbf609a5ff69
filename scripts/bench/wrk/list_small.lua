-- GET /api/v1/tenants?limit=100: a random parent (of the 1,000 with tokens) reads its
-- whole organization, itself and its 9 subsidiaries: a small page, one batch.
local c = dofile(os.getenv("MTDB_BENCH_LUA") .. "/common.lua")
local tokens = c.tokens("parents")
setup = c.setup
done = c.done

function init(args)
  c.seed()
end

function request()
  local i = math.random(1, #tokens)
  return wrk.format("GET", "/api/v1/tenants?limit=100", { Authorization = "Bearer " .. tokens[i] })
end
