//! Arrange helpers: principals, raw connections and context switching for tests that
//! must bypass the repository (and with it the domain's checks) on purpose.

use mtdb_domain::{
    fixture, Actor, Metadata, NewTenant, Placement, Principal, Subject, TenantChanges, TenantId,
};
use mtdb_postgres::PostgresTenantRepository;
use mtdb_postgres_admin::seed::{seed_demo, DEMO_TENANTS};
use serde_json::json;

use crate::database::TestDatabase;

pub use crate::repo::Repo;
use tokio_postgres::Client;
use uuid::Uuid;

pub use mtdb_postgres_admin::seed::{BARCLAYS, BARCLAYS_UK, HSBC, HSBC_HONG_KONG, HSBC_LONDON};

/// A tenant id nobody has.
pub const UNKNOWN: Uuid = Uuid::from_u128(0x0000_0000_0000_4000_8000_0000_0000_9999);

pub fn id(uuid: Uuid) -> TenantId {
    TenantId::from(uuid)
}

pub fn tenant(uuid: Uuid) -> Actor {
    Actor::new(Principal::Tenant(id(uuid)), subject())
}

pub fn admin() -> Actor {
    Actor::new(Principal::PlatformAdmin, subject())
}

pub fn subject() -> Subject {
    Subject::parse("alice@tests").unwrap()
}

/// A fresh database holding the five demo tenants.
pub async fn seeded() -> TestDatabase {
    let db = TestDatabase::create().await;
    let inserted = seed_demo(db.admin_url()).await.unwrap();
    assert_eq!(inserted, DEMO_TENANTS.len() as u64);
    db
}

pub fn repository(db: &TestDatabase) -> Repo {
    Repo::new(PostgresTenantRepository::new(db.pool().clone()))
}

/// A raw connection as the application login role.
pub async fn app_client(db: &TestDatabase) -> Client {
    connect(db.app_url()).await
}

/// A raw connection as the owner. Only for tests about the owner and for arranging
/// what the application cannot do (catalog changes).
pub async fn owner_client(db: &TestDatabase) -> Client {
    connect(db.admin_url()).await
}

/// A client of `url`, through the adapter's TLS connector, so that a `DATABASE_URL` with
/// `sslmode` works here.
pub async fn connect(url: &str) -> Client {
    let settings = mtdb_postgres::ConnectionSettings::parse(url).unwrap();
    let tls = settings.tls().unwrap();
    let (client, connection) = settings.config().connect(tls).await.unwrap();
    tokio::spawn(connection);
    client
}

/// What a transaction runs as.
#[derive(Debug, Clone, Copy)]
pub enum Ctx<'a> {
    /// The login role itself: no switch.
    Login,
    /// `mtdb_tenant` without touching `app.current_tenant_id`.
    TenantRoleOnly,
    /// `mtdb_tenant` with this raw setting.
    TenantSetting(&'a str),
    Tenant(Uuid),
    Admin,
}

/// Starts a transaction in `ctx` on `client`, as the repository would (but with any raw
/// value the test wants).
pub async fn begin<'c>(
    client: &'c mut Client,
    ctx: Ctx<'_>,
) -> Result<tokio_postgres::Transaction<'c>, tokio_postgres::Error> {
    let tx = client.transaction().await?;
    match ctx {
        Ctx::Login => {}
        Ctx::TenantRoleOnly => {
            tx.execute("select set_config('role', 'mtdb_tenant', true)", &[])
                .await?;
        }
        Ctx::TenantSetting(setting) => set_tenant(&tx, setting).await?,
        Ctx::Tenant(uuid) => set_tenant(&tx, &uuid.to_string()).await?,
        Ctx::Admin => {
            tx.execute(
                "select set_config('role', 'mtdb_platform_admin', true), \
                        set_config('app.actor_sub', 'raw test', true)",
                &[],
            )
            .await?;
        }
    }
    Ok(tx)
}

async fn set_tenant(
    tx: &tokio_postgres::Transaction<'_>,
    setting: &str,
) -> Result<(), tokio_postgres::Error> {
    tx.execute(
        "select set_config('role', 'mtdb_tenant', true), \
                set_config('app.current_tenant_id', $1, true), \
                set_config('app.actor_sub', 'raw test', true)",
        &[&setting],
    )
    .await?;
    Ok(())
}

/// Runs `sql` in its own transaction in `ctx` and commits it; the rows it affected.
pub async fn exec_as(
    client: &mut Client,
    ctx: Ctx<'_>,
    sql: &str,
) -> Result<u64, tokio_postgres::Error> {
    let tx = begin(client, ctx).await?;
    let affected = tx.execute(sql, &[]).await?;
    tx.commit().await?;
    Ok(affected)
}

/// How many tenants `ctx` can see.
pub async fn visible(client: &mut Client, ctx: Ctx<'_>) -> Result<i64, tokio_postgres::Error> {
    let tx = begin(client, ctx).await?;
    let n: i64 = tx
        .query_one("select count(*) from tenants", &[])
        .await?
        .get(0);
    tx.commit().await?;
    Ok(n)
}

/// Every tenant row the platform admin can see, with its version, rendered for
/// comparison: any change to any of them changes the snapshot.
pub async fn snapshot(db: &TestDatabase) -> Vec<String> {
    let mut client = app_client(db).await;
    let tx = begin(&mut client, Ctx::Admin).await.unwrap();
    let rows = tx
        .query(
            "select format('%s|%s|%s|%s|%s|v%s', tenant_id, name, parent_tenant_id, \
                    tenant_type, metadata, version) \
             from tenants order by tenant_id",
            &[],
        )
        .await
        .unwrap();
    rows.iter().map(|r| r.get(0)).collect()
}

/// The SQLSTATE of a failed statement.
pub fn code(e: &tokio_postgres::Error) -> &str {
    e.code().map_or("<no sqlstate>", |c| c.code())
}

/// The application login role's name.
pub fn login_name(db: &TestDatabase) -> String {
    let config: tokio_postgres::Config = db.app_url().parse().unwrap();
    config.get_user().unwrap().to_owned()
}

/// Adds `n` subsidiaries under `parent`, each with `fields` metadata entries of 56
/// characters (about 64 bytes each), as the platform admin in one statement.
pub async fn add_subsidiaries(db: &TestDatabase, parent: Uuid, n: i32, fields: i32) {
    let mut owner = owner_client(db).await;
    let tx = owner.transaction().await.unwrap();
    tx.batch_execute("select set_config('role', 'mtdb_platform_admin', true)")
        .await
        .unwrap();
    tx.execute(
        "insert into tenants (name, parent_tenant_id, tenant_type, metadata) \
         select 'Subsidiary ' || g, $1, 'subsidiary', \
                (select coalesce(jsonb_object_agg('k' || i, repeat('v', 56)), '{}') \
                 from generate_series(1, $3) i) \
         from generate_series(1, $2) g",
        &[&parent, &n, &fields],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

/// A new top-level tenant named `name`.
pub fn new_parent(name: &str) -> NewTenant {
    NewTenant {
        metadata: Metadata::parse(Some(json!({"country": "France"}))).unwrap(),
        ..fixture::new_tenant(name, Placement::TopLevel)
    }
}

/// A new subsidiary of `parent` named `name`.
pub fn new_subsidiary(name: &str, parent: uuid::Uuid) -> NewTenant {
    fixture::new_tenant(name, Placement::SubsidiaryOf(id(parent)))
}

/// An update to `name` and `metadata`.
pub fn changes(name: &str, metadata: serde_json::Value) -> TenantChanges {
    fixture::changes(name, Metadata::parse(Some(metadata)).unwrap())
}
