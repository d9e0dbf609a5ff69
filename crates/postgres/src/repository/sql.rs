//! Every statement the repository runs. None of them names the principal: row level
//! security decides which rows exist, and `$1` is only ever the id of the target.
//! Reads, inserts and updates go through the view `live_tenants` (V11), the live tenants
//! with the columns the application has: `*` is that view's column list, decoded by
//! `crate::row`. Only the soft deletes and the admin's count name `tenants` itself.

use crate::row::{inserted_columns, updated_columns};

/// A new tenant, placed where the insert policy and trigger allow; returns it as stored.
pub const INSERT: &str = concat!(
    "insert into live_tenants ",
    inserted_columns!(),
    " returning *"
);

/// A tenant principal's lookup by id, written so that an id it cannot see, a deleted one and
/// one that does not exist take the same work (docs/security.md, section 5). Asked only
/// `tenant_id = $1`, PostgreSQL would find a hidden row by primary key, fetch it and let the
/// policy filter it out. Here the first arm becomes a one-time filter `$1 = context` (no
/// probe unless `$1` is the principal's own id). The second names `$1` only inside the row
/// value (parent, id), which PostgreSQL never splits into per-column conditions: only an
/// index leading with `parent_tenant_id` can use it, so whatever the planner's estimates
/// (V13 says why they matter), no plan finds a row by `$1` alone. The context is read
/// through the function the policies use, never passed in, and the policies still apply;
/// `parent_tenant_id = ctx` reads it through V14's opaque, costly call, so that no plan
/// evaluates the context per row: the index wins at any size of the table.
pub const FIND_AS_TENANT: &str = "select * from live_tenants \
     where tenant_id = $1 and tenant_id = (select mtdb_current_tenant_id()) \
     union all select * from live_tenants \
     where parent_tenant_id = mtdb_current_tenant_id_opaque() \
     and (parent_tenant_id, tenant_id) between (mtdb_current_tenant_id(), $1) \
     and (mtdb_current_tenant_id(), $1)";

/// The platform admin sees every live tenant, so only a deleted id is hidden from it. The
/// indexes of live rows, which match the view's `deleted_at is null`, hold no entry for it
/// once the first read after the delete has marked the old one dead; the timing-oracle
/// tests check that the planner keeps to them.
pub const FIND_AS_ADMIN: &str = "select * from live_tenants where tenant_id = $1";

/// [`FIND_AS_TENANT`] on a connection without named statements (docs/pgbouncer.md): the
/// same query, as the body of the function, whose plan PL/pgSQL keeps per server
/// connection, where an unnamed statement would be planned again at every run. The
/// function's body is a copy, since SQL cannot read this file: a test checks that it is
/// this constant word for word.
pub const CALL_FIND_AS_TENANT: &str = "select * from mtdb_find_as_tenant($1)";

/// [`FIND_AS_ADMIN`] on a connection without named statements, as [`CALL_FIND_AS_TENANT`].
pub const CALL_FIND_AS_ADMIN: &str = "select * from mtdb_find_as_admin($1)";

/// `$1` is the optional type filter. Ordered as docs/api.md says, stable across pages.
pub const PAGE: &str = "select * from live_tenants where ($1::text is null or tenant_type = $1) \
     order by created_at, tenant_id limit $2 offset $3";

/// A tenant principal's count: a range over its own subsidiaries' index entries (and its
/// own row), whatever the size of the table.
pub const COUNT: &str =
    "select count(*) from live_tenants where ($1::text is null or tenant_type = $1)";

/// The platform admin's count does not scan the tenants: V8's triggers keep the number of
/// live tenants of each type in a few slots, written in the same transactions as the
/// tenants, so the list's snapshot sees the count of exactly the rows it sees.
pub const COUNT_AS_ADMIN: &str = "select coalesce(sum(live), 0)::bigint from tenant_counts \
     where ($1::text is null or tenant_type = $1)";

/// The row a write checks its preconditions on, locked until commit so that two writers
/// cannot both pass them (and a new subsidiary cannot slip under a parent being deleted).
/// Row level security applies the update policy to a locking read as well: every row a
/// principal sees live it may also lock.
pub const LOCK_FOR_UPDATE: &str = "select * from live_tenants where tenant_id = $1 for update";

/// A parent a subsidiary is placed under: a concurrent delete waits for the insert (and
/// then sees the new subsidiary), as with the insert trigger's own `for share`.
pub const LOCK_FOR_SHARE: &str = "select * from live_tenants where tenant_id = $1 for share";

/// Version and `updated_at` are the trigger's business.
pub const UPDATE: &str = concat!(
    "update live_tenants set ",
    updated_columns!(),
    " where tenant_id = $1 returning *"
);

/// How many live subsidiaries the locked tenant `$1` has (a delete without cascade needs none).
pub const COUNT_LIVE_SUBSIDIARIES: &str =
    "select count(*) from live_tenants where parent_tenant_id = $1";

/// A cascade's first half: the live subsidiaries of `$1` soft-deleted in the same transaction.
pub const SOFT_DELETE_SUBSIDIARIES: &str =
    "update tenants set deleted_at = now() where parent_tenant_id = $1 and deleted_at is null";

/// The soft delete of `$1`: the row stays, with its deletion time, hidden from every read.
pub const SOFT_DELETE: &str =
    "update tenants set deleted_at = now() where tenant_id = $1 and deleted_at is null";

/// The statements above with their parameters' types, as the repository runs them
/// (named or unnamed: see `crate::statement`). The types are a copy of what the server
/// infers, because an unnamed statement has no prepare step to ask it; a test compares.
pub(crate) mod typed {
    use tokio_postgres::types::Type;

    use crate::row::{INSERTED_TYPES, UPDATED_TYPES};
    use crate::statement::Sql;

    pub(crate) static INSERT: Sql<{ INSERTED_TYPES.len() }> = Sql {
        text: crate::repository::sql::INSERT,
        types: INSERTED_TYPES,
    };
    pub(crate) static FIND_AS_TENANT: Sql<1> = Sql {
        text: crate::repository::sql::FIND_AS_TENANT,
        types: [Type::UUID],
    };
    pub(crate) static FIND_AS_ADMIN: Sql<1> = Sql {
        text: crate::repository::sql::FIND_AS_ADMIN,
        types: [Type::UUID],
    };
    pub(crate) static CALL_FIND_AS_TENANT: Sql<1> = Sql {
        text: crate::repository::sql::CALL_FIND_AS_TENANT,
        types: [Type::UUID],
    };
    pub(crate) static CALL_FIND_AS_ADMIN: Sql<1> = Sql {
        text: crate::repository::sql::CALL_FIND_AS_ADMIN,
        types: [Type::UUID],
    };
    pub(crate) static PAGE: Sql<3> = Sql {
        text: crate::repository::sql::PAGE,
        types: [Type::TEXT, Type::INT8, Type::INT8],
    };
    pub(crate) static COUNT: Sql<1> = Sql {
        text: crate::repository::sql::COUNT,
        types: [Type::TEXT],
    };
    pub(crate) static COUNT_AS_ADMIN: Sql<1> = Sql {
        text: crate::repository::sql::COUNT_AS_ADMIN,
        types: [Type::TEXT],
    };
    pub(crate) static LOCK_FOR_UPDATE: Sql<1> = Sql {
        text: crate::repository::sql::LOCK_FOR_UPDATE,
        types: [Type::UUID],
    };
    pub(crate) static LOCK_FOR_SHARE: Sql<1> = Sql {
        text: crate::repository::sql::LOCK_FOR_SHARE,
        types: [Type::UUID],
    };
    pub(crate) static UPDATE: Sql<{ UPDATED_TYPES.len() }> = Sql {
        text: crate::repository::sql::UPDATE,
        types: UPDATED_TYPES,
    };
    pub(crate) static COUNT_LIVE_SUBSIDIARIES: Sql<1> = Sql {
        text: crate::repository::sql::COUNT_LIVE_SUBSIDIARIES,
        types: [Type::UUID],
    };
    pub(crate) static SOFT_DELETE_SUBSIDIARIES: Sql<1> = Sql {
        text: crate::repository::sql::SOFT_DELETE_SUBSIDIARIES,
        types: [Type::UUID],
    };
    pub(crate) static SOFT_DELETE: Sql<1> = Sql {
        text: crate::repository::sql::SOFT_DELETE,
        types: [Type::UUID],
    };
}
