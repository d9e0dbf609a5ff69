//! The command line (docs/operations.md, "Commands"). Settings come from the environment
//! (see `config`); flags only choose what to do.

use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use uuid::Uuid;

/// The parsed command line of `mtdb`: one subcommand, no global flags.
#[derive(Debug, Parser)]
#[command(
    name = "mtdb",
    version,
    about = "Secure multi-tenancy on PostgreSQL row level security"
)]
pub struct Cli {
    /// What to do; `main` runs it and maps its error to a non-zero exit.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands of `mtdb`; each reads only the settings it needs from the environment.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply (or revert) the migrations and provision the application login role.
    Migrate {
        /// Revert down to this migration version (0 removes every project table).
        #[arg(long, value_name = "N")]
        down_to: Option<u32>,
        /// With --down-to: revert even when a dropped table or column holds rows (they
        /// are lost). Without it such a revert changes nothing and fails.
        #[arg(long, requires = "down_to")]
        allow_data_loss: bool,
    },
    /// Load the fintech demo tenants (idempotent).
    Seed,
    /// Serve the API on MTDB_LISTEN.
    #[command(after_help = SERVE_ENVIRONMENT)]
    Serve,
    /// Print a signed HS256 token for local use.
    Token(TokenArgs),
    /// Report every row-level-security misconfiguration of the DATABASE_URL database
    /// (exit 0 clean, 1 with findings, 2 when it cannot check).
    Check {
        /// One JSON document on stdout instead of one line per finding.
        #[arg(long)]
        json: bool,
        /// Print the database's security-relevant catalog (policies, triggers, functions,
        /// grants, default privileges) in the form of migrations/security_catalog.json,
        /// the expectation the check compares it with, and judge nothing (exit 0).
        #[arg(long, conflicts_with = "json")]
        catalog: bool,
    },
}

/// `serve --help`'s list of the settings it reads (`.env.example` explains each; a test
/// holds this list to the variables the configuration reads).
const SERVE_ENVIRONMENT: &str = "\
Environment (a .env file in the working directory is read too; the environment wins):
  DATABASE_URL                   the application login role (required; `mtdb migrate` creates it)
  MTDB_JWT_SECRET                HS256 secret, at least 32 bytes (required)
  MTDB_JWT_PUBLIC_KEY_FILE       an RS256 or Ed25519 public key (PEM) to accept too [unset]
  MTDB_JWT_ISSUER                required `iss` of every token [unset: not checked]
  MTDB_JWT_AUDIENCE              required `aud` of every token [unset: not checked]
  MTDB_JWT_LEEWAY_SECS           clock skew allowed on `exp` and `nbf` [30, at most 300]
  MTDB_OIDC_ISSUERS              OpenID Connect issuers, each with its organizations (JSON) [unset]
  MTDB_OIDC_REFRESH_SECS         key sets fetched again this often [300]
  MTDB_OIDC_UNKNOWN_KID_SECS     at most one fetch per issuer this often for an unknown `kid` [60]
  MTDB_OIDC_KEYS_MAX_AGE_SECS    keys no fetch has confirmed for this long are refused [86400]
  MTDB_OIDC_FETCH_TIMEOUT_MS     time for a discovery or key set fetch [5000]
  MTDB_LISTEN                    the API's address [127.0.0.1:8080]
  MTDB_METRICS_LISTEN            Prometheus metrics on their own address [unset: off]
  MTDB_DB_POOL_SIZE              connections to the database [4 x cores, 4 to 32]
  MTDB_DB_POOL_TIMEOUT_MS        wait for a connection before 503 [3000]
  MTDB_DB_POOL_RESERVE           connections kept for organizations holding none [4]
  MTDB_ORG_MAX_REQUESTS          one organization's requests in flight or queued before 429 [128]
  MTDB_DB_STATEMENTS             auto, prepared or unnamed [auto]
  MTDB_READ_DATABASE_URL         a hot standby to serve reads from [unset: primary only]
  MTDB_READ_MAX_LAG_MS           standby lag past which reads go to the primary [1000]
  MTDB_HTTP_BODY_TIMEOUT_MS      time for a request body to arrive before 408 [10000]
  MTDB_HTTP_WRITE_TIMEOUT_MS     a client that takes no byte of a response this long is cut [10000]
  MTDB_HTTP_RESPONSE_TIMEOUT_MS  a list page not sent within this is cut [60000]
  MTDB_SHUTDOWN_GRACE_MS         wait for requests in flight on SIGTERM [30000]
  MTDB_LOG_FORMAT                json or pretty [json]
  RUST_LOG                       log filter [info]";

/// The flags of `mtdb token`: who the token speaks for, its subject and lifetime.
#[derive(Debug, Args)]
pub struct TokenArgs {
    /// The principal the token names: exactly one of `--tenant` and `--platform-admin`.
    #[command(flatten)]
    pub principal: PrincipalArg,
    /// The token's subject.
    #[arg(long, default_value = "local-dev")]
    pub sub: String,
    /// How long the token is valid, e.g. 15m, 1h, 7d.
    #[arg(long, default_value = "1h", value_parser = parse_ttl)]
    pub ttl: Duration,
}

/// Exactly one principal, enforced by clap (neither or both is a usage error).
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct PrincipalArg {
    /// Act as this tenant.
    #[arg(long, value_name = "UUID")]
    pub tenant: Option<Uuid>,
    /// Act as the platform admin.
    #[arg(long)]
    pub platform_admin: bool,
}

fn parse_ttl(raw: &str) -> Result<Duration, String> {
    let ttl = humantime::parse_duration(raw).map_err(|e| e.to_string())?;
    if ttl.is_zero() {
        return Err("must be longer than zero".into());
    }
    Ok(ttl)
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn token_needs_exactly_one_principal() {
        assert!(Cli::try_parse_from(["mtdb", "token"]).is_err());
        assert!(Cli::try_parse_from([
            "mtdb",
            "token",
            "--platform-admin",
            "--tenant",
            "00000000-0000-4000-8000-000000000001"
        ])
        .is_err());
        let cli =
            Cli::try_parse_from(["mtdb", "token", "--platform-admin", "--ttl", "15m"]).unwrap();
        let Command::Token(args) = cli.command else {
            panic!("not a token command")
        };
        assert!(args.principal.platform_admin);
        assert_eq!(args.ttl, Duration::from_secs(900));
    }

    #[test]
    fn check_takes_an_optional_json_or_catalog_flag() {
        let cli = Cli::try_parse_from(["mtdb", "check", "--json"]).unwrap();
        assert!(matches!(
            cli.command,
            Command::Check {
                json: true,
                catalog: false
            }
        ));
        let cli = Cli::try_parse_from(["mtdb", "check"]).unwrap();
        assert!(matches!(
            cli.command,
            Command::Check {
                json: false,
                catalog: false
            }
        ));
        let cli = Cli::try_parse_from(["mtdb", "check", "--catalog"]).unwrap();
        assert!(matches!(
            cli.command,
            Command::Check {
                json: false,
                catalog: true
            }
        ));
        assert!(Cli::try_parse_from(["mtdb", "check", "--catalog", "--json"]).is_err());
    }

    #[test]
    fn allow_data_loss_goes_only_with_down_to() {
        assert!(Cli::try_parse_from(["mtdb", "migrate", "--allow-data-loss"]).is_err());
        let cli = Cli::try_parse_from(["mtdb", "migrate", "--down-to", "0", "--allow-data-loss"])
            .unwrap();
        assert!(matches!(
            cli.command,
            Command::Migrate {
                down_to: Some(0),
                allow_data_loss: true
            }
        ));
    }

    #[test]
    fn ttl_must_be_a_positive_duration() {
        assert!(Cli::try_parse_from(["mtdb", "token", "--platform-admin", "--ttl", "0s"]).is_err());
        assert!(
            Cli::try_parse_from(["mtdb", "token", "--platform-admin", "--ttl", "soon"]).is_err()
        );
    }
}
