"""A program a Python user of mtdb would write, against the client that
openapi-python-client generates from the live /openapi.json (package mtdb_client): no
cast, no Any. scripts/clients.sh checks it with `mypy --strict`, then runs it against a
seeded server; any surprise raises, and the exit status is not 0."""

import os
import uuid

from mtdb_client import AuthenticatedClient, Client
from mtdb_client.api.health import health
from mtdb_client.api.tenants import (
    create_tenant,
    delete_tenant,
    get_tenant,
    list_tenants,
    update_tenant,
)
from mtdb_client.models import (
    CreateParentRequest,
    CreateParentRequestTenantType,
    CreateSubsidiaryRequest,
    CreateSubsidiaryRequestTenantType,
    ErrorBody,
    ListTenantsMtdbConsistency,
    ListTenantsTenantType,
    Metadata,
    TenantResponse,
    UpdateTenantRequest,
)
from mtdb_client.types import Response


def setting(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise SystemExit(f"{name} is not set")
    return value


def expect(condition: bool, what: str) -> None:
    if not condition:
        raise AssertionError(f"expected {what}")


def tenant_of(reply: Response[ErrorBody | TenantResponse], status: int) -> TenantResponse:
    expect(reply.status_code == status, f"{status}, got {reply.status_code}: {reply.content!r}")
    if not isinstance(reply.parsed, TenantResponse):
        raise AssertionError(f"a tenant, got {reply.parsed!r}")
    return reply.parsed


def failure(parsed: object, status: int, code: str) -> ErrorBody:
    if not isinstance(parsed, ErrorBody):
        raise AssertionError(f"an error body, got {parsed!r}")
    expect(parsed.error.code == code, f"{code}, got {parsed.error.code}")
    return parsed


def etag(reply: Response[ErrorBody | TenantResponse]) -> str:
    tag = reply.headers.get("ETag")
    if tag is None:
        raise AssertionError("an ETag")
    return tag


base = setting("MTDB_BASE")
anonymous = Client(base_url=base)
admin = AuthenticatedClient(base_url=base, token=setting("MTDB_ADMIN_TOKEN"))

healthy = health.sync(client=anonymous)
expect(healthy is not None and healthy.status == "healthy", f"healthy, got {healthy!r}")

suffix = uuid.uuid4().hex[:8]
parent_body = CreateParentRequest(
    name=f"OCBC {suffix}",
    tenant_type=CreateParentRequestTenantType.PARENT,
    metadata=Metadata.from_dict({"country": "Singapore"}),
)
parent = tenant_of(create_tenant.sync_detailed(client=admin, body=parent_body), 201)
expect(parent.parent_tenant_id is None, "a parent without parent_tenant_id")

subsidiary_body = CreateSubsidiaryRequest(
    name=f"OCBC Malaysia {suffix}",
    tenant_type=CreateSubsidiaryRequestTenantType.SUBSIDIARY,
    parent_tenant_id=parent.tenant_id,
    metadata=Metadata.from_dict({"country": "Malaysia", "licences": ["banking"]}),
)
created = create_tenant.sync_detailed(client=admin, body=subsidiary_body)
subsidiary = tenant_of(created, 201)
expect(created.headers.get("Location") == f"/api/v1/tenants/{subsidiary.tenant_id}", "Location")
country: object = subsidiary.metadata["country"]
expect(country == "Malaysia", "metadata read back")

page = list_tenants.sync_detailed(
    client=admin,
    tenant_type=ListTenantsTenantType.SUBSIDIARY,
    limit=1000,
    mtdb_consistency=ListTenantsMtdbConsistency.STRONG,
)
tenants = page.parsed.tenants if not isinstance(page.parsed, ErrorBody) and page.parsed else []
expect(any(t.tenant_id == subsidiary.tenant_id for t in tenants), "the subsidiary listed")

read = get_tenant.sync_detailed(subsidiary.tenant_id, client=admin)
if not isinstance(read.parsed, TenantResponse):
    raise AssertionError(f"a tenant, got {read.parsed!r}")
current = read.parsed
tag = read.headers.get("ETag")
if tag is None:
    raise AssertionError("an ETag")
expect(current.created_at.tzinfo is not None, "a timestamp with its offset")

renamed = UpdateTenantRequest(
    name=current.name, metadata=Metadata.from_dict({"country": "Malaysia", "regulator": "BNM"})
)
updated = update_tenant.sync_detailed(subsidiary.tenant_id, client=admin, body=renamed, if_match=tag)
tenant_of(updated, 200)
expect(etag(updated) != tag, "a new ETag")

stale = update_tenant.sync_detailed(
    subsidiary.tenant_id, client=admin, body=UpdateTenantRequest(name=current.name), if_match=tag
)
expect(stale.status_code == 412, f"412, got {stale.status_code}")
failure(stale.parsed, 412, "PRECONDITION_FAILED")

unquoted = update_tenant.sync_detailed(
    subsidiary.tenant_id, client=admin, body=renamed, if_match=tag.strip('"')
)
expect(unquoted.status_code == 400, f"400 for an unquoted tag, got {unquoted.status_code}")
field = failure(unquoted.parsed, 400, "VALIDATION_ERROR").error.details.field
expect(field == "If-Match", f"the field If-Match, got {field!r}")

blocked = delete_tenant.sync_detailed(parent.tenant_id, client=admin)
expect(blocked.status_code == 409, f"409, got {blocked.status_code}")
failure(blocked.parsed, 409, "HAS_SUBSIDIARIES")

deleted = delete_tenant.sync_detailed(parent.tenant_id, client=admin, cascade=True)
expect(deleted.status_code == 204, f"204, got {deleted.status_code}")

gone = get_tenant.sync_detailed(subsidiary.tenant_id, client=admin)
expect(gone.status_code == 404, f"404, got {gone.status_code}")
failure(gone.parsed, 404, "NOT_FOUND")
print("python client: health, create parent and subsidiary, list, get, update, 412, 400, 409, delete, 404: ok")
