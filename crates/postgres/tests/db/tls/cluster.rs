//! A throwaway PostgreSQL cluster that speaks TLS only: a certificate authority and a
//! server certificate for `localhost` and `127.0.0.1` made with rcgen, `ssl = on`, and a
//! pg_hba.conf whose only TCP line is `hostssl`. Started from the installed binaries like
//! scripts/pg-local.sh does (as the OS user `postgres` when the test runs as root) and
//! stopped, its files removed, on drop.

use std::path::{Path, PathBuf};
use std::process::Command;

use mtdb_testing::free_port;
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    KeyUsagePurpose,
};

pub const PASSWORD: &str = "tls-secret";
pub const USER: &str = "tls_admin";

/// A certificate authority of the test's own: its certificate as PEM, and what signs.
pub struct Authority {
    pub pem: String,
    cert: rcgen::Certificate,
    key: KeyPair,
}

impl Authority {
    pub fn new(name: &str) -> Self {
        let key = KeyPair::generate().unwrap();
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let cert = params.self_signed(&key).unwrap();
        Self {
            pem: cert.pem(),
            cert,
            key,
        }
    }

    /// A server certificate and its key, as PEM, for `names`.
    fn server(&self, names: &[&str]) -> (String, String) {
        let key = KeyPair::generate().unwrap();
        let names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
        let mut params = CertificateParams::new(names).unwrap();
        params
            .distinguished_name
            .push(DnType::CommonName, "mtdb test server");
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let cert = params.signed_by(&key, &self.cert, &self.key).unwrap();
        (cert.pem(), key.serialize_pem())
    }
}

pub struct TlsCluster {
    dir: PathBuf,
    pub port: u16,
    /// The PEM file of the authority that signed the server's certificate.
    pub ca_file: PathBuf,
    bindir: PathBuf,
}

impl TlsCluster {
    pub fn start(ca: &Authority) -> Self {
        let bindir = PathBuf::from(
            String::from_utf8(
                Command::new("pg_config")
                    .arg("--bindir")
                    .output()
                    .unwrap()
                    .stdout,
            )
            .unwrap()
            .trim(),
        );
        let dir = std::env::temp_dir().join(format!("mtdb-tls-{}", uuid::Uuid::new_v4().simple()));
        let data = dir.join("data");
        std::fs::create_dir_all(&dir).unwrap();
        let ca_file = dir.join("ca.pem");
        std::fs::write(&ca_file, &ca.pem).unwrap();
        std::fs::write(dir.join("pw"), PASSWORD).unwrap();
        chown(&dir);
        chown(&dir.join("pw"));
        let cluster = Self {
            port: free_port(),
            dir,
            ca_file,
            bindir,
        };
        cluster.run(
            "initdb",
            &[
                "-D",
                path(&data),
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                &format!("--username={USER}"),
                &format!("--pwfile={}", path(&cluster.dir.join("pw"))),
            ],
        );
        let (cert, key) = ca.server(&["localhost", "127.0.0.1"]);
        for (name, content) in [("server.crt", cert), ("server.key", key)] {
            let file = data.join(name);
            std::fs::write(&file, content).unwrap();
            chown(&file);
            // PostgreSQL refuses a key others can read.
            Command::new("chmod")
                .arg("0600")
                .arg(&file)
                .status()
                .unwrap();
        }
        std::fs::write(
            data.join("pg_hba.conf"),
            "local all all trust\nhostssl all all 127.0.0.1/32 scram-sha-256\n",
        )
        .unwrap();
        let conf = format!(
            "\nlisten_addresses = '127.0.0.1'\nport = {}\nunix_socket_directories = '{}'\n\
             ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\nfsync = off\n",
            cluster.port,
            path(&data)
        );
        let mut existing = std::fs::read_to_string(data.join("postgresql.conf")).unwrap();
        existing.push_str(&conf);
        std::fs::write(data.join("postgresql.conf"), existing).unwrap();
        let log = cluster.dir.join("postgres.log");
        cluster.run(
            "pg_ctl",
            &[
                "start",
                "-D",
                path(&data),
                "-l",
                path(&log),
                "-w",
                "-t",
                "60",
            ],
        );
        cluster
    }

    /// `postgres://` to this cluster as its superuser, with `query` appended.
    pub fn url(&self, host: &str, query: &str) -> String {
        format!(
            "postgres://{USER}:{PASSWORD}@{host}:{}/postgres?connect_timeout=10&{query}",
            self.port
        )
    }

    fn run(&self, bin: &str, args: &[&str]) {
        let program = self.bindir.join(bin);
        let mut command = if is_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(program);
            c
        } else {
            Command::new(program)
        };
        let out = command.args(args).current_dir("/").output().unwrap();
        assert!(
            out.status.success(),
            "{bin} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for TlsCluster {
    fn drop(&mut self) {
        let data = self.dir.join("data");
        self.run(
            "pg_ctl",
            &["stop", "-D", path(&data), "-m", "immediate", "-w"],
        );
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn is_root() -> bool {
    let out = Command::new("id").arg("-u").output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim() == "0"
}

/// initdb refuses to run as root: the files go to the user that runs it.
fn chown(p: &Path) {
    if is_root() {
        let status = Command::new("chown")
            .arg("postgres:")
            .arg(p)
            .status()
            .unwrap();
        assert!(status.success());
    }
}
