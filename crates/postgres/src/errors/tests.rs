//! The mapping from SQLSTATEs to domain errors, without a database.

use deadpool_postgres::{PoolError, TimeoutType};
use mtdb_domain::ErrorKind;

use super::*;

fn failure(meaning: Meaning) -> DbFailure {
    DbFailure {
        meaning,
        cause: "SELECT secret FROM tenants: boom".into(),
    }
}

#[test]
fn named_constraints_become_domain_meanings() {
    use constraint::*;
    let cases = [
        (
            SqlState::UNIQUE_VIOLATION,
            LIVE_NAME,
            Meaning::DuplicateName,
        ),
        (
            SqlState::FOREIGN_KEY_VIOLATION,
            PARENT_LIVE,
            Meaning::ParentNotFound,
        ),
        (SqlState::CHECK_VIOLATION, DEPTH, Meaning::DepthExceeded),
        (
            SqlState::RESTRICT_VIOLATION,
            NO_LIVE_SUBSIDIARIES,
            Meaning::HasSubsidiaries,
        ),
        (
            SqlState::RAISE_EXCEPTION,
            NO_LIVE_SUBSIDIARIES,
            Meaning::HasSubsidiaries,
        ),
        (
            SqlState::INSUFFICIENT_PRIVILEGE,
            RENAME_SCOPE,
            Meaning::Refused,
        ),
    ];
    for (code, name, expected) in cases {
        assert_eq!(meaning_of(&code, Some(name)), expected, "{name}");
    }
}

#[test]
fn other_unique_violations_are_bugs_not_duplicates() {
    assert_eq!(
        meaning_of(&SqlState::UNIQUE_VIOLATION, Some("tenants_pkey")),
        Meaning::Internal
    );
    assert_eq!(
        meaning_of(&SqlState::UNIQUE_VIOLATION, None),
        Meaning::Internal
    );
    // The right name with the wrong class is not ours either.
    assert_eq!(
        meaning_of(&SqlState::INTERNAL_ERROR, Some(constraint::LIVE_NAME)),
        Meaning::Internal
    );
}

#[test]
fn row_level_security_refusals_are_refused() {
    assert_eq!(
        meaning_of(&SqlState::INSUFFICIENT_PRIVILEGE, None),
        Meaning::Refused
    );
}

#[test]
fn connection_and_shutdown_states_are_unavailable() {
    for code in [
        SqlState::CONNECTION_FAILURE,
        SqlState::CONNECTION_EXCEPTION,
        SqlState::SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION,
        SqlState::ADMIN_SHUTDOWN,
        SqlState::CRASH_SHUTDOWN,
        SqlState::CANNOT_CONNECT_NOW,
        SqlState::TOO_MANY_CONNECTIONS,
    ] {
        assert_eq!(meaning_of(&code, None), Meaning::Unavailable, "{code:?}");
    }
}

#[test]
fn a_missing_table_function_role_or_schema_means_the_schema_is_missing() {
    for code in [
        SqlState::UNDEFINED_TABLE,
        SqlState::UNDEFINED_FUNCTION,
        SqlState::UNDEFINED_OBJECT,
        SqlState::INVALID_SCHEMA_NAME,
        SqlState::INVALID_PARAMETER_VALUE,
    ] {
        assert_eq!(meaning_of(&code, None), Meaning::SchemaMissing, "{code:?}");
    }
    // Every operation answers 503 for it, never 500.
    let missing = || failure(Meaning::SchemaMissing);
    assert_eq!(
        GetTenantError::from(missing()).kind(),
        ErrorKind::Unavailable
    );
    assert_eq!(
        ListTenantsError::from(missing()).kind(),
        ErrorKind::Unavailable
    );
    assert_eq!(
        CreateTenantError::from(missing()).kind(),
        ErrorKind::Unavailable
    );
    assert_eq!(
        UpdateTenantError::from(missing()).kind(),
        ErrorKind::Unavailable
    );
    assert_eq!(
        DeleteTenantError::from(missing()).kind(),
        ErrorKind::Unavailable
    );
}

#[test]
fn a_refused_read_is_a_missing_grant_so_the_schema_is_missing() {
    assert_eq!(
        GetTenantError::from(failure(Meaning::Refused)).kind(),
        ErrorKind::Unavailable
    );
    assert_eq!(
        ListTenantsError::from(failure(Meaning::Refused)).kind(),
        ErrorKind::Unavailable
    );
}

#[test]
fn anything_else_is_internal() {
    for code in [
        SqlState::INTERNAL_ERROR,
        SqlState::SYNTAX_ERROR,
        SqlState::INVALID_TEXT_REPRESENTATION,
        SqlState::T_R_SERIALIZATION_FAILURE,
    ] {
        assert_eq!(meaning_of(&code, None), Meaning::Internal, "{code:?}");
    }
}

#[test]
fn pool_timeouts_and_closure_are_unavailable() {
    for e in [
        PoolError::Timeout(TimeoutType::Wait),
        PoolError::Timeout(TimeoutType::Create),
        PoolError::Closed,
    ] {
        assert_eq!(DbFailure::from(e).meaning, Meaning::Unavailable);
    }
    assert_eq!(
        DbFailure::from(PoolError::NoRuntimeSpecified).meaning,
        Meaning::Internal
    );
}

#[test]
fn create_maps_its_variants() {
    let kind = |m| CreateTenantError::from(failure(m)).kind();
    assert_eq!(kind(Meaning::DuplicateName), ErrorKind::DuplicateName);
    assert_eq!(kind(Meaning::ParentNotFound), ErrorKind::NotFound);
    assert!(matches!(
        CreateTenantError::from(failure(Meaning::ParentNotFound)),
        CreateTenantError::ParentNotFound
    ));
    assert_eq!(
        kind(Meaning::DepthExceeded),
        ErrorKind::HierarchyDepthExceeded
    );
    assert_eq!(kind(Meaning::Refused), ErrorKind::Forbidden);
    assert_eq!(kind(Meaning::Unavailable), ErrorKind::Unavailable);
    // A create cannot meet live subsidiaries: if it does, something is broken.
    assert_eq!(kind(Meaning::HasSubsidiaries), ErrorKind::Internal);
}

#[test]
fn update_maps_its_variants() {
    let kind = |m| UpdateTenantError::from(failure(m)).kind();
    assert_eq!(kind(Meaning::DuplicateName), ErrorKind::DuplicateName);
    // tenants_rename_scope refused a rename.
    assert_eq!(kind(Meaning::Refused), ErrorKind::Forbidden);
    assert_eq!(kind(Meaning::HasSubsidiaries), ErrorKind::Internal);
    assert_eq!(kind(Meaning::Unavailable), ErrorKind::Unavailable);
}

#[test]
fn delete_maps_its_variants() {
    let kind = |m| DeleteTenantError::from(failure(m)).kind();
    assert_eq!(kind(Meaning::HasSubsidiaries), ErrorKind::HasSubsidiaries);
    assert_eq!(kind(Meaning::Refused), ErrorKind::Forbidden);
    assert_eq!(kind(Meaning::DuplicateName), ErrorKind::Internal);
}

#[test]
fn reads_only_fail_as_the_store() {
    assert_eq!(
        GetTenantError::from(failure(Meaning::DuplicateName)).kind(),
        ErrorKind::Internal
    );
    assert_eq!(
        ListTenantsError::from(failure(Meaning::Unavailable)).kind(),
        ErrorKind::Unavailable
    );
}

#[test]
fn what_callers_display_never_holds_the_cause() {
    let shown = CreateTenantError::from(failure(Meaning::Internal)).to_string();
    assert!(!shown.contains("SELECT"), "{shown}");
    assert!(!shown.contains("secret"), "{shown}");
}

#[test]
fn an_io_cause_anywhere_down_the_chain_is_found() {
    #[derive(Debug, thiserror::Error)]
    #[error("outer")]
    struct Outer(#[source] std::io::Error);
    let e = Outer(std::io::Error::other("inner"));
    assert!(caused_by_io(&e));
}

#[test]
fn the_store_error_keeps_the_meaning_and_the_whole_cause_for_the_one_log_line() {
    let store = failure(Meaning::SchemaMissing).into_store();
    assert_eq!(store.kind(), ErrorKind::Unavailable);
    let chain = mtdb_domain::ErrorChain(&store).to_string();
    assert!(chain.contains("run `mtdb migrate`"), "{chain}");
    assert!(chain.contains("boom"), "{chain}");
    // What a client could be shown stays opaque.
    assert!(!store.to_string().contains("boom"));
}

#[test]
fn a_step_leads_the_logged_chain_and_keeps_the_meaning() {
    let failure = DbFailure::with_meaning(Meaning::DuplicateName, "unique violation")
        .step("inserting the tenant");
    assert_eq!(failure.meaning, Meaning::DuplicateName);
    assert_eq!(
        mtdb_domain::ErrorChain(failure.cause.as_ref()).to_string(),
        "inserting the tenant: caused by: unique violation"
    );
    let failed: Result<(), DbFailure> = Err(DbFailure::internal("boom"));
    let failure = failed.step("locking the tenant").unwrap_err();
    assert_eq!(
        mtdb_domain::ErrorChain(failure.cause.as_ref()).to_string(),
        "locking the tenant: caused by: boom"
    );
    assert!(matches!(
        CreateTenantError::from(
            DbFailure::with_meaning(Meaning::DuplicateName, "x").step("inserting the tenant")
        ),
        CreateTenantError::DuplicateName
    ));
}
