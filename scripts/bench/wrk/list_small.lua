-- GET /api/v1/tenants?limit=100: a random parent (of the 1,000 with tokens) reads its
-- whole organization, itself and its 9 subsidiaries: a small page, one batch.
local c = dofile(os.getenv("MTDB_BENCH_LUA") .. "/common.lua")
setup = c.setup
done = c.done
request = c.list_request("parents")

function init(args)
  c.seed()
end
