-- GET /api/v1/tenants?limit=100: one of the 16 large parents (150 subsidiaries each) reads
-- its first page, as the pgbench script of the same name does.
local c = dofile(os.getenv("MTDB_BENCH_LUA") .. "/common.lua")
setup = c.setup
done = c.done
request = c.list_request("large")

function init(args)
  c.seed()
end
