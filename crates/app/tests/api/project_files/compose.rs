//! The compose scale-out variant (docker/compose.scale.yml) keeps the shape that
//! docs/scaling.md describes: PgBouncer in transaction mode with a server pool smaller than
//! what the instances may ask for, every instance through it, migrate and seed direct, and
//! the load balancer over every instance. `make docker-check` validates the syntax; this
//! checks the meaning, without a Docker engine.

use super::read;

/// `KEY: value` of the first line (trimmed) starting with `KEY:`, quotes dropped.
fn value<'a>(text: &'a str, key: &str) -> &'a str {
    text.lines()
        .map(str::trim)
        .find_map(|line| line.strip_prefix(key)?.strip_prefix(':'))
        .unwrap_or_else(|| panic!("{key} in docker/compose.scale.yml"))
        .trim()
        .trim_matches('"')
}

fn number(text: &str, key: &str) -> u32 {
    value(text, key).parse().expect("a number")
}

/// The top-level service names of a compose file, in order.
fn services(text: &str) -> Vec<String> {
    let body = text.split("\nservices:\n").nth(1).expect("a services map");
    body.lines()
        .take_while(|line| line.is_empty() || line.starts_with(' ') || line.starts_with('#'))
        .filter_map(|line| {
            let name = line.strip_prefix("  ")?.strip_suffix(':')?;
            (!name.starts_with(' ') && !name.starts_with('#')).then(|| name.to_owned())
        })
        .collect()
}

#[test]
fn the_pooler_runs_transaction_mode_with_fewer_server_connections_than_clients() {
    let scale = read("docker/compose.scale.yml");
    assert_eq!(value(&scale, "POOL_MODE"), "transaction");
    let server_pool = number(&scale, "DEFAULT_POOL_SIZE");
    let instances = services(&scale)
        .iter()
        .filter(|s| s.starts_with("mtdb"))
        .count() as u32;
    assert!(instances >= 2, "{instances} mtdb instances");
    // Each instance's pool plus its reserve (MTDB_DB_POOL_RESERVE, 4 by default).
    let client_connections = instances * (number(&scale, "MTDB_DB_POOL_SIZE") + 4);
    assert!(
        server_pool < client_connections,
        "the pooler must multiplex: {server_pool} server connections for {client_connections}"
    );
}

#[test]
fn every_instance_goes_through_the_pooler_and_migrations_do_not() {
    let scale = read("docker/compose.scale.yml");
    let url = value(&scale, "DATABASE_URL");
    assert!(url.contains("@pgbouncer:"), "{url}");
    let names = services(&scale);
    for one_shot in ["migrate", "seed"] {
        // Overriding them would send the owner's DDL through the pooler.
        assert!(
            !names.iter().any(|s| s == one_shot),
            "{one_shot} is overridden"
        );
    }
    let base = services(&read("docker/compose.yml"));
    assert!(base.iter().any(|s| s == "mtdb"), "{base:?}");
    for instance in names.iter().filter(|s| s.starts_with("mtdb")) {
        let section = scale
            .split(&format!("\n  {instance}:\n"))
            .nth(1)
            .expect("the instance's section");
        let section: Vec<&str> = section
            .lines()
            .take_while(|line| line.is_empty() || line.starts_with("    "))
            .collect();
        assert!(
            section.iter().any(|line| line.contains("*pooled-urls")),
            "{instance} must take the pooled URL"
        );
    }
}

#[test]
fn the_load_balancer_spreads_over_every_instance() {
    let scale = read("docker/compose.scale.yml");
    let nginx = read("docker/nginx/mtdb.conf");
    for instance in services(&scale).iter().filter(|s| s.starts_with("mtdb")) {
        assert!(
            nginx.contains(&format!("server {instance}:8080")),
            "{instance} missing from docker/nginx/mtdb.conf"
        );
    }
    assert!(scale.contains("./nginx/mtdb.conf:/etc/nginx/conf.d/default.conf"));
}
