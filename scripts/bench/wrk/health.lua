-- GET /health: one catalog query, no transaction, no token; the floor of the others.
local c = dofile(os.getenv("MTDB_BENCH_LUA") .. "/common.lua")
setup = c.setup
done = c.done

function request()
  return wrk.format("GET", "/health")
end
