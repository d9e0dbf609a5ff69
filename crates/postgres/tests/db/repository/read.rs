use mtdb_domain::{GetTenantError, ListQuery, Placement, TenantType};
use uuid::Uuid;

use crate::support::*;

async fn visible_ids(repo: &crate::support::Repo, actor: &mtdb_domain::Actor) -> Vec<Uuid> {
    let page = repo.list(actor, &ListQuery::default()).await.unwrap();
    assert_eq!(page.total_count, page.tenants.len() as u64);
    let mut ids: Vec<_> = page.tenants.iter().map(|t| t.id.as_uuid()).collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn each_principal_sees_exactly_its_scope() {
    let db = seeded().await;
    let repo = repository(&db);
    let sorted = |mut v: Vec<Uuid>| {
        v.sort();
        v
    };
    let matrix = [
        (tenant(HSBC), vec![HSBC, HSBC_HONG_KONG, HSBC_LONDON]),
        (tenant(HSBC_HONG_KONG), vec![HSBC_HONG_KONG]),
        (tenant(HSBC_LONDON), vec![HSBC_LONDON]),
        (tenant(BARCLAYS), vec![BARCLAYS, BARCLAYS_UK]),
        (tenant(BARCLAYS_UK), vec![BARCLAYS_UK]),
        (
            admin(),
            vec![HSBC, HSBC_HONG_KONG, HSBC_LONDON, BARCLAYS, BARCLAYS_UK],
        ),
        (tenant(UNKNOWN), vec![]),
    ];
    for (actor, expected) in matrix {
        assert_eq!(
            visible_ids(&repo, &actor).await,
            sorted(expected),
            "{}",
            actor.principal
        );
    }
}

#[tokio::test]
async fn find_returns_visible_tenants_as_stored() {
    let db = seeded().await;
    let repo = repository(&db);
    let hk = repo.find(&tenant(HSBC), id(HSBC_HONG_KONG)).await.unwrap();
    assert_eq!(hk.name.as_str(), "HSBC Hong Kong");
    assert_eq!(hk.placement, Placement::SubsidiaryOf(id(HSBC)));
    assert_eq!(hk.tenant_type(), TenantType::Subsidiary);
    assert_eq!(hk.metadata.as_map()["country"], "Hong Kong");
    assert_eq!(hk.version.get(), 1);
    assert_eq!(hk.created_at, hk.updated_at);
    let same = repo.find(&admin(), id(HSBC_HONG_KONG)).await.unwrap();
    assert_eq!(same, hk);
}

#[tokio::test]
async fn invisible_tenants_are_not_found_like_missing_ones() {
    let db = seeded().await;
    let repo = repository(&db);
    let cases = [
        (tenant(HSBC), BARCLAYS),
        (tenant(HSBC), BARCLAYS_UK),
        (tenant(HSBC_HONG_KONG), HSBC),
        (tenant(HSBC_HONG_KONG), HSBC_LONDON),
        (tenant(UNKNOWN), HSBC),
        (admin(), UNKNOWN),
    ];
    for (actor, target) in cases {
        let err = repo.find(&actor, id(target)).await.unwrap_err();
        assert!(
            matches!(err, GetTenantError::NotFound),
            "{} -> {target}: {err:?}",
            actor.principal
        );
    }
}
