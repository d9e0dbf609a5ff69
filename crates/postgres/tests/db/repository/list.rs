use mtdb_domain::{ListQuery, PageLimit, TenantType};

use super::{new_parent, new_subsidiary};
use crate::support::*;

fn query(limit: i64, offset: u64, tenant_type: Option<TenantType>) -> ListQuery {
    ListQuery {
        limit: PageLimit::parse(limit).unwrap(),
        offset,
        tenant_type,
    }
}

#[tokio::test]
async fn pages_are_ordered_by_creation_then_id_and_count_everything() {
    let db = seeded().await;
    let repo = repository(&db);
    for n in 0..5 {
        repo.insert(&admin(), &new_parent(&format!("Bank {n}")))
            .await
            .unwrap();
        repo.insert(&tenant(HSBC), &new_subsidiary(&format!("HSBC {n}"), HSBC))
            .await
            .unwrap();
    }
    let everything = repo.list(&admin(), &query(1000, 0, None)).await.unwrap();
    assert_eq!(everything.total_count, 15);
    let keys: Vec<_> = everything
        .tenants
        .iter()
        .map(|t| (t.created_at, t.id))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);

    let mut paged = Vec::new();
    for offset in (0..16).step_by(4) {
        let page = repo.list(&admin(), &query(4, offset, None)).await.unwrap();
        assert_eq!(page.total_count, 15);
        assert_eq!((page.limit.get(), page.offset), (4, offset));
        assert!(page.tenants.len() <= 4);
        paged.extend(page.tenants);
    }
    assert_eq!(paged, everything.tenants);
}

#[tokio::test]
async fn the_type_filter_applies_to_the_page_and_the_count() {
    let db = seeded().await;
    let repo = repository(&db);
    let subsidiaries = repo
        .list(&admin(), &query(2, 0, Some(TenantType::Subsidiary)))
        .await
        .unwrap();
    assert_eq!(subsidiaries.total_count, 3);
    assert_eq!(subsidiaries.tenants.len(), 2);
    assert!(subsidiaries
        .tenants
        .iter()
        .all(|t| t.tenant_type() == TenantType::Subsidiary));

    let parents = repo
        .list(&tenant(HSBC), &query(100, 0, Some(TenantType::Parent)))
        .await
        .unwrap();
    assert_eq!(parents.total_count, 1);
    assert_eq!(parents.tenants[0].id, id(HSBC));
}

#[tokio::test]
async fn offsets_past_the_end_give_an_empty_page_with_the_total() {
    let db = seeded().await;
    let repo = repository(&db);
    for offset in [5, 6, i64::MAX as u64, i64::MAX as u64 + 1, u64::MAX] {
        let page = repo.list(&admin(), &query(10, offset, None)).await.unwrap();
        assert!(page.tenants.is_empty(), "{offset}");
        assert_eq!(page.total_count, 5);
        assert_eq!(page.offset, offset);
    }
}
