//! `mtdb check [--json]`: the row-level-security self-check of a live database, as the
//! login role of `DATABASE_URL`. What each finding means: docs/security.md.

use std::process::ExitCode;

use mtdb_postgres_admin::Finding;
use serde_json::json;

use crate::config::process_env;
use mtdb_domain::ErrorChain;

use crate::error::AppError;

/// No finding.
const CLEAN: u8 = 0;
/// At least one finding.
const FINDINGS: u8 = 1;
/// The database could not be checked (no or bad `DATABASE_URL`, unreachable server).
const CANNOT_CHECK: u8 = 2;

/// Prints the findings on stdout, one line each (or one JSON document), and a summary
/// on stderr.
pub async fn run(json: bool) -> ExitCode {
    let findings = match inspect().await {
        Ok(findings) => findings,
        Err(e) => {
            eprintln!(
                "error: the database could not be checked: {:#}",
                ErrorChain(&e)
            );
            return ExitCode::from(CANNOT_CHECK);
        }
    };
    if json {
        println!("{}", document(&findings));
    } else {
        for finding in &findings {
            println!("{finding}");
        }
    }
    if findings.is_empty() {
        eprintln!("mtdb check: no finding");
        ExitCode::from(CLEAN)
    } else {
        eprintln!("mtdb check: {} finding(s)", findings.len());
        ExitCode::from(FINDINGS)
    }
}

async fn inspect() -> Result<Vec<Finding>, AppError> {
    let db = process_env().database_settings()?;
    let pool = mtdb_postgres::connect_pool(&db.connection, 1, db.pool_timeout).map_err(
        AppError::database("setting up the connection to DATABASE_URL failed"),
    )?;
    let found = mtdb_postgres_admin::inspect(&pool)
        .await
        .map_err(AppError::database(
            "inspecting DATABASE_URL's database failed",
        ));
    pool.close();
    found
}

/// `{"clean": bool, "findings": [{"kind", "object", "message", "fix"}]}`.
fn document(findings: &[Finding]) -> serde_json::Value {
    let findings: Vec<_> = findings
        .iter()
        .map(|f| {
            json!({
                "kind": f.kind.as_str(),
                "object": f.object,
                "message": f.message,
                "fix": f.fix,
            })
        })
        .collect();
    json!({ "clean": findings.is_empty(), "findings": findings })
}
