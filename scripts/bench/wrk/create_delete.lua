-- POST /api/v1/tenants (a random parent creates a subsidiary), then DELETE of what was
-- created, as the pgbench script of the same name does. Each thread keeps the ids it
-- created and not yet deleted; a connection deletes one when there is one, else creates.
local c = dofile(os.getenv("MTDB_BENCH_LUA") .. "/common.lua")
local tokens = c.tokens("parents")
setup = c.setup
done = c.done

local by_parent = {}
local created = {}
local counter = 0
local run

function init(args)
  c.seed()
  run = math.random(1, 1000000000)
  for i = 0, #tokens - 1 do
    by_parent[c.uuid(c.group_parent(i, #tokens))] = "Bearer " .. tokens[i + 1]
  end
end

function request()
  local next = table.remove(created)
  if next then
    return wrk.format("DELETE", "/api/v1/tenants/" .. next.id, { Authorization = next.auth })
  end
  counter = counter + 1
  local i = math.random(0, #tokens - 1)
  local parent = c.uuid(c.group_parent(i, #tokens))
  local body = string.format(
    '{"name":"bench %d-%d-%d","tenant_type":"subsidiary","parent_tenant_id":"%s"}',
    run, thread_number or 0, counter, parent)
  return wrk.format("POST", "/api/v1/tenants",
    { Authorization = "Bearer " .. tokens[i + 1], ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
  if status == 201 then
    local id = string.match(body, '"tenant_id":"([^"]+)"')
    local parent = string.match(body, '"parent_tenant_id":"([^"]+)"')
    if id and parent and by_parent[parent] then
      table.insert(created, { id = id, auth = by_parent[parent] })
    end
  end
end
