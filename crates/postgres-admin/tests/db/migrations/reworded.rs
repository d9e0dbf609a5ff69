//! A database migrated before V1 to V3's comments were reworded keeps migrating; any other
//! change to an applied migration's text is still refused (docs/migrations.md).

use mtdb_postgres_admin::migrate_up;
use mtdb_testing::TestDatabase;

use crate::support::*;

async fn checksum(db: &TestDatabase, version: i32) -> String {
    owner_client(db)
        .await
        .query_one(
            "select checksum from refinery_schema_history where version = $1",
            &[&version],
        )
        .await
        .unwrap()
        .get(0)
}

async fn record(db: &TestDatabase, version: i32, checksum: &str) {
    owner_client(db)
        .await
        .execute(
            "update refinery_schema_history set checksum = $2 where version = $1",
            &[&version, &checksum],
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn the_checksums_of_the_released_texts_are_accepted_and_brought_up_to_date() {
    let db = TestDatabase::create().await;
    let current = [checksum(&db, 1).await, checksum(&db, 3).await];
    // What `mtdb migrate` recorded for V1 and V3 as first released.
    record(&db, 1, "17311166576249920177").await;
    record(&db, 3, "2670225752264118693").await;

    assert_eq!(migrate_up(db.admin_url()).await.unwrap(), Vec::<u32>::new());
    assert_eq!([checksum(&db, 1).await, checksum(&db, 3).await], current);
}

#[tokio::test]
async fn any_other_divergence_is_still_refused() {
    let db = TestDatabase::create().await;
    // V2's released checksum recorded against V1: not the text V1 was released with.
    record(&db, 1, "2902593406135660860").await;
    assert!(migrate_up(db.admin_url()).await.is_err());
    assert_eq!(checksum(&db, 1).await, "2902593406135660860");
}
