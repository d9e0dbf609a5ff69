//! Where a cluster run by `scripts/pg-local.sh` is, as `scripts/pg-local.sh cluster` says:
//! what a standby is built from.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Where a primary cluster is: what `scripts/pg-local.sh cluster` prints.
#[derive(Clone)]
pub(super) struct Cluster {
    pub(super) socket_dir: String,
    pub(super) port: u16,
    pub(super) superuser: String,
    /// The OS user that runs the cluster's binaries; `None` when that is us.
    pub(super) os_user: Option<String>,
    pub(super) bindir: PathBuf,
}

impl Cluster {
    /// Asks `scripts/pg-local.sh cluster`, and checks that the cluster is the one the
    /// tests' `MTDB_ADMIN_DATABASE_URL` names.
    pub(super) fn find() -> Self {
        let cluster = Self::described(&script(), &[]);
        let admin = crate::urls::env(crate::urls::ADMIN_ENV);
        let admin_ports = crate::urls::settings(&admin).config().get_ports().to_vec();
        assert_eq!(
            admin_ports,
            [cluster.port],
            "the project-local cluster runs on {}, MTDB_ADMIN_DATABASE_URL names another \
             server: the replica tests need the project-local cluster (make test)",
            cluster.port
        );
        cluster
    }

    /// What `script cluster` says with `env` added (a data area and port of its own).
    pub(super) fn described(script: &Path, env: &[(&str, &str)]) -> Self {
        let output = Command::new(script)
            .arg("cluster")
            .envs(env.iter().copied())
            .output()
            .expect("running scripts/pg-local.sh cluster");
        assert!(
            output.status.success(),
            "a standby is built from a running pg-local cluster: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let text = String::from_utf8_lossy(&output.stdout);
        let values: HashMap<&str, &str> = text.lines().filter_map(|l| l.split_once('=')).collect();
        let get = |key: &str| (*values.get(key).unwrap_or_else(|| panic!("no {key}"))).to_owned();
        let os_user = get("MTDB_PG_OS_USER");
        let is_root = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
        Self {
            socket_dir: get("MTDB_PG_SOCKET_DIR"),
            port: get("MTDB_PG_RUNNING_PORT").parse().expect("a port"),
            superuser: get("MTDB_PG_SUPERUSER"),
            os_user: is_root.then_some(os_user),
            bindir: PathBuf::from(get("MTDB_PG_BINDIR")),
        }
    }

    /// A command that runs the cluster's binary `bin` as the cluster's OS user, from `/`
    /// (a directory that user can enter).
    pub(super) fn as_cluster_user(&self, bin: &str) -> Command {
        let path = self.bindir.join(bin);
        let mut command = match &self.os_user {
            Some(user) => {
                let mut command = Command::new("runuser");
                command.args(["-u", user, "--"]).arg(path);
                command
            }
            None => Command::new(path),
        };
        command.current_dir("/");
        command
    }
}

/// `scripts/pg-local.sh` of this checkout.
pub(super) fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/pg-local.sh")
}
