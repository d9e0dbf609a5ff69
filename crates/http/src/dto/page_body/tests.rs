use chrono::{TimeZone, Utc};
use futures::TryStreamExt;
use mtdb_domain::{
    fixture, ListQuery, ListTenantsError, Metadata, Placement, StoreError, Tenant, TenantPage,
    Version,
};

use super::*;
use crate::dto::list::TenantPageResponse;

fn tenant(n: u32, placement: Placement) -> Tenant {
    let at = Utc
        .timestamp_opt(1_790_000_000 + i64::from(n), 123_456_000)
        .unwrap();
    let metadata = serde_json::json!({"n": n, "nested": {"x": [1.5, -0.0, "é\u{1}"]}});
    let id = format!("00000000-0000-4000-8000-{n:012}").parse().unwrap();
    Tenant {
        name: fixture::name(&format!("Tenant \"{n}\"")),
        metadata: Metadata::parse(Some(metadata)).unwrap(),
        created_at: at,
        updated_at: at,
        version: Version::new(n.into()),
        ..fixture::tenant(id, placement)
    }
}

fn page(count: u32) -> TenantPage {
    let query = ListQuery::parse(Some(7), Some(3), None).unwrap();
    let parent = tenant(1, Placement::TopLevel);
    let mut tenants = vec![parent.clone()];
    tenants.extend((2..=count).map(|n| tenant(n, Placement::SubsidiaryOf(parent.id))));
    tenants.truncate(count as usize);
    TenantPage {
        tenants,
        total_count: 42,
        limit: query.limit,
        offset: query.offset,
    }
}

async fn streamed(page: TenantPage) -> Vec<u8> {
    let chunks: Vec<Bytes> = page_body(page.into()).try_collect().await.unwrap();
    chunks.concat()
}

#[actix_web::test]
async fn the_streamed_page_is_byte_for_byte_what_serde_writes() {
    for count in [0, 1, 2, 5] {
        let whole = serde_json::to_vec(&TenantPageResponse::from(page(count))).unwrap();
        assert_eq!(
            String::from_utf8(streamed(page(count)).await).unwrap(),
            String::from_utf8(whole).unwrap(),
            "{count} tenants"
        );
    }
}

#[actix_web::test]
async fn a_failure_half_way_cuts_the_body_instead_of_closing_the_json() {
    let mut stream = TenantPageStream::from(page(1));
    let failing = futures::stream::iter([Err(ListTenantsError::Store(StoreError::Internal(
        "lost".into(),
    )))]);
    stream.tenants = Box::pin(stream.tenants.chain(failing));
    let mut body = Box::pin(page_body(stream));
    let mut seen = Vec::new();
    let mut failed = false;
    while let Some(chunk) = body.next().await {
        match chunk {
            Ok(bytes) => seen.extend_from_slice(&bytes),
            Err(PageCut) => {
                failed = true;
                break;
            }
        }
    }
    assert!(failed);
    assert!(!String::from_utf8_lossy(&seen).contains("total_count"));
}

/// A page of 100 ordinary tenants is written on the event loop; four tenants of the
/// noisy-neighbour bench's size (900 fields of 56 characters), a batch of the adapter's,
/// go to the blocking pool.
#[test]
fn ordinary_pages_stay_on_the_event_loop_and_large_tenants_leave_it() {
    let ordinary: usize = page(100).tenants.iter().map(estimated_len).sum();
    assert!(ordinary <= INLINE, "{ordinary}");
    let large = Tenant {
        metadata: Metadata::parse(Some(estimate::flood_sized_metadata())).unwrap(),
        ..tenant(1, Placement::TopLevel)
    };
    assert!(4 * estimated_len(&large) > INLINE);
}

/// Tenants whose JSON passes `INLINE` within one chunk go to the blocking pool, and the
/// body is still exactly serde's.
#[actix_web::test]
async fn a_chunk_past_the_inline_share_is_still_byte_for_byte_what_serde_writes() {
    let large = |n: u32| {
        let metadata = serde_json::json!({"n": n, "text": "x".repeat(30 * 1024)});
        Tenant {
            metadata: Metadata::parse(Some(metadata)).unwrap(),
            ..tenant(n, Placement::TopLevel)
        }
    };
    let mut whole = page(0);
    whole.tenants = (1..=6).map(large).collect();
    let expected = serde_json::to_vec(&TenantPageResponse::from(whole.clone())).unwrap();
    assert!(
        expected.len() > 2 * INLINE,
        "the chunk passes the inline share"
    );
    assert_eq!(
        String::from_utf8(streamed(whole).await).unwrap(),
        String::from_utf8(expected).unwrap()
    );
}
