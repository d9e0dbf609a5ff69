//! migrations/schema.sql is the live schema in one file: what a database holds once every
//! migration ran, as `pg_dump` prints it, normalised by scripts/schema.sh. A migration that
//! changes the schema without the file following (or the file edited by hand) fails here.

use std::path::PathBuf;
use std::process::Command;

use mtdb_testing::TestDatabase;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[tokio::test]
async fn the_schema_file_is_what_the_migrations_build() {
    let db = TestDatabase::create().await;
    let output = Command::new(repo().join("scripts/schema.sh"))
        .args(["dump", db.admin_url()])
        .output()
        .expect("scripts/schema.sh runs");
    assert!(
        output.status.success(),
        "scripts/schema.sh dump failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let built = String::from_utf8(output.stdout).expect("pg_dump prints UTF-8");
    let file = std::fs::read_to_string(repo().join("migrations/schema.sql")).unwrap_or_default();
    let first_difference = built
        .lines()
        .zip(file.lines())
        .position(|(b, f)| b != f)
        .unwrap_or_else(|| built.lines().count().min(file.lines().count()));
    assert!(
        built == file,
        "migrations/schema.sql is not what the migrations build (first difference at line {}: \
         the migrations say {:?}, the file {:?}): run `make schema`",
        first_difference + 1,
        built.lines().nth(first_difference).unwrap_or("<end>"),
        file.lines().nth(first_difference).unwrap_or("<end>"),
    );
}
