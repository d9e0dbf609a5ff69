// A program a TypeScript user of mtdb would write, against the client that
// openapi-typescript generates from the live /openapi.json (schema.d.ts): no cast, no
// `any`. scripts/clients.sh type-checks it with `tsc --strict`, then runs it against a
// seeded server; any surprise throws, and the exit status is not 0.
import { randomUUID } from "node:crypto";
import createClient from "openapi-fetch";
import type { components, paths } from "./schema.js";

type Tenant = components["schemas"]["TenantResponse"];
type ErrorBody = components["schemas"]["ErrorBody"];

function setting(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === "") throw new Error(`${name} is not set`);
  return value;
}

function expect(condition: boolean, what: string): void {
  if (!condition) throw new Error(`expected ${what}`);
}

function tenantOf(data: Tenant | undefined, response: Response, status: number): Tenant {
  expect(response.status === status && data !== undefined, `${status}, got ${response.status}`);
  if (data === undefined) throw new Error("no body");
  return data;
}

function failure(error: ErrorBody | undefined, response: Response, status: number, code: string): void {
  expect(response.status === status, `${status}, got ${response.status}`);
  expect(error?.error.code === code, `${code}, got ${JSON.stringify(error)}`);
}

function etag(response: Response): string {
  const tag = response.headers.get("ETag");
  if (tag === null) throw new Error("no ETag");
  return tag;
}

const baseUrl = setting("MTDB_BASE");
const anonymous = createClient<paths>({ baseUrl });
const admin = createClient<paths>({
  baseUrl,
  headers: { Authorization: `Bearer ${setting("MTDB_ADMIN_TOKEN")}` },
});

const health = await anonymous.GET("/health");
expect(health.data?.status === "healthy", `healthy, got ${JSON.stringify(health.data)}`);

const suffix = randomUUID().slice(0, 8);
const created = await admin.POST("/api/v1/tenants", {
  body: { name: `DBS ${suffix}`, tenant_type: "parent", metadata: { country: "Singapore" } },
});
const parent = tenantOf(created.data, created.response, 201);
expect(created.response.headers.get("Location") === `/api/v1/tenants/${parent.tenant_id}`, "Location");
expect(parent.parent_tenant_id === null, "a parent without parent_tenant_id");

const sub = await admin.POST("/api/v1/tenants", {
  body: {
    name: `DBS Hong Kong ${suffix}`,
    tenant_type: "subsidiary",
    parent_tenant_id: parent.tenant_id,
    metadata: { country: "Hong Kong", licences: ["banking"], employees: 1200 },
  },
});
const subsidiary = tenantOf(sub.data, sub.response, 201);
const country: unknown = subsidiary.metadata["country"];
expect(country === "Hong Kong", "metadata read back");

const page = await admin.GET("/api/v1/tenants", {
  params: { query: { tenant_type: "subsidiary", limit: 1000 }, header: { "Mtdb-Consistency": "strong" } },
});
expect(page.response.status === 200, "a page");
expect(page.data?.tenants.some((t) => t.tenant_id === subsidiary.tenant_id) === true, "the subsidiary listed");

const path = { tenant_id: subsidiary.tenant_id };
const read = await admin.GET("/api/v1/tenants/{tenant_id}", { params: { path } });
const current = tenantOf(read.data, read.response, 200);
const tag = etag(read.response);
expect(current.created_at.endsWith("Z"), "an RFC 3339 UTC timestamp");

const updated = await admin.PUT("/api/v1/tenants/{tenant_id}", {
  params: { path, header: { "If-Match": tag } },
  body: { name: current.name, metadata: { country: "Hong Kong", regulator: "HKMA" } },
});
tenantOf(updated.data, updated.response, 200);
expect(etag(updated.response) !== tag, "a new ETag");

const stale = await admin.PUT("/api/v1/tenants/{tenant_id}", {
  params: { path, header: { "If-Match": tag } },
  body: { name: current.name },
});
failure(stale.error, stale.response, 412, "PRECONDITION_FAILED");

const blocked = await admin.DELETE("/api/v1/tenants/{tenant_id}", {
  params: { path: { tenant_id: parent.tenant_id } },
});
failure(blocked.error, blocked.response, 409, "HAS_SUBSIDIARIES");

const deleted = await admin.DELETE("/api/v1/tenants/{tenant_id}", {
  params: { path: { tenant_id: parent.tenant_id }, query: { cascade: true } },
});
expect(deleted.response.status === 204, `204, got ${deleted.response.status}`);

const gone = await admin.GET("/api/v1/tenants/{tenant_id}", { params: { path } });
failure(gone.error, gone.response, 404, "NOT_FOUND");
const field: string | undefined = stale.error?.error.details.field;
expect(field === undefined, "no field on a 412");
console.log("typescript client: health, create parent and subsidiary, list, get, update, 412, 409, delete, 404: ok");
