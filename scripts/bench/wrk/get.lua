-- GET /api/v1/tenants/{id}: a random parent (of the 1,000 with tokens) reads one of its
-- subsidiaries, as the pgbench script of the same name does.
local c = dofile(os.getenv("MTDB_BENCH_LUA") .. "/common.lua")
local tokens = c.tokens("parents")
setup = c.setup
done = c.done

function init(args)
  c.seed()
end

function request()
  local i = math.random(0, #tokens - 1)
  local id = c.uuid(c.group_parent(i, #tokens) + math.random(1, 9))
  return wrk.format("GET", "/api/v1/tenants/" .. id,
    { Authorization = "Bearer " .. tokens[i + 1] })
end
