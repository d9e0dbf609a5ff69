use super::*;

#[tokio::test]
async fn get_returns_what_the_store_finds_for_the_same_actor() {
    let mut store = MockTenantStore::new();
    store
        .expect_find()
        .withf(|a, tid| a.principal == Principal::Tenant(id(HSBC)) && *tid == id(HSBC_HK))
        .returning(|_, _| Ok(Some(hsbc_hk())));
    let service = TenantUseCases::new(store);

    let found = service
        .get(&actor(Principal::Tenant(id(HSBC))), id(HSBC_HK))
        .await
        .unwrap();
    assert_eq!(found, hsbc_hk());
}

#[tokio::test]
async fn get_fails_closed_when_the_store_returns_a_row_outside_the_rules() {
    let mut store = MockTenantStore::new();
    store.expect_find().returning(|_, _| Ok(Some(hsbc())));
    let service = TenantUseCases::new(store);

    // HSBC Hong Kong may not see its parent: a store that says otherwise is broken.
    let err = service
        .get(&actor(Principal::Tenant(id(HSBC_HK))), id(HSBC))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Internal);
}

#[tokio::test]
async fn get_of_an_invisible_tenant_is_not_found() {
    let mut store = MockTenantStore::new();
    store.expect_find().returning(|_, _| Ok(None));
    let service = TenantUseCases::new(store);

    let err = service
        .get(&actor(Principal::Tenant(id(HSBC_HK))), id(HSBC))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
}

#[tokio::test]
async fn list_passes_the_query_through() {
    let query = ListQuery::parse(Some(2), Some(4), None).unwrap();
    let expected = query.clone();
    let mut store = MockTenantStore::new();
    store
        .expect_list_stream()
        .withf(move |_, q| *q == expected)
        .returning(|_, q| {
            Ok(TenantPage {
                tenants: vec![hsbc()],
                total_count: 5,
                limit: q.limit,
                offset: q.offset,
            }
            .into())
        });
    store.expect_begin().never();
    let service = TenantUseCases::new(store);

    let page = service
        .list(&actor(Principal::PlatformAdmin), query)
        .await
        .unwrap()
        .collect()
        .await
        .unwrap();
    assert_eq!((page.total_count, page.offset, page.limit.get()), (5, 4, 2));
    assert_eq!(page.tenants, vec![hsbc()]);
}

#[tokio::test]
async fn get_passes_a_store_failure_through() {
    let mut store = MockTenantStore::new();
    store.expect_find().returning(|_, _| Err(unavailable()));
    store.expect_begin().never();
    let service = TenantUseCases::new(store);

    let err = service
        .get(&actor(Principal::PlatformAdmin), id(HSBC))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);
}
