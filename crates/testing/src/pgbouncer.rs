//! A real PgBouncer for tests and benches: the installed binary (Debian's 1.18 here),
//! started on a free port of 127.0.0.1 in front of the test cluster, stopped when the
//! value drops. Its config, user list, log and pid file live in a directory of its own.
//!
//! PgBouncer refuses to run as root (CI runs as root): then it runs as user `postgres`
//! through `runuser`, as `scripts/pg-local.sh` runs `initdb`.

use std::fs;
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

mod files;
mod settings;

use files::write_files;
pub use settings::{PgBouncerSettings, PoolMode};

/// How long PgBouncer may take to accept connections (or to exit once told to stop).
const DEADLINE: Duration = Duration::from_secs(20);
/// Attempts with a new port when another process took the free port first.
const ATTEMPTS: usize = 3;

/// A running PgBouncer; stopped (and its directory removed) on drop.
pub struct PgBouncer {
    port: u16,
    dir: PathBuf,
    child: Option<Child>,
}

impl PgBouncer {
    /// Starts PgBouncer and waits until it accepts connections.
    ///
    /// # Panics
    /// When the binary is missing (install it: `apt-get install pgbouncer`) or PgBouncer
    /// does not start: a test without it must fail, not skip.
    pub fn start(settings: &PgBouncerSettings) -> Self {
        let binary = binary();
        let as_root = effective_uid() == 0;
        let mut last_log = String::new();
        for _ in 0..ATTEMPTS {
            let dir = std::env::temp_dir()
                .join(format!("mtdb-pgbouncer-{}", uuid::Uuid::new_v4().simple()));
            let port = crate::free_port::free_port();
            write_files(&dir, port, settings);
            if as_root {
                give_to_postgres(&dir);
            }
            let mut command = if as_root {
                let mut c = Command::new("runuser");
                c.args(["-u", "postgres", "--"]).arg(&binary);
                c
            } else {
                Command::new(&binary)
            };
            let child = command
                .arg(dir.join("pgbouncer.ini"))
                .current_dir(&dir)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| panic!("starting {}: {e}", binary.display()));
            let mut bouncer = Self {
                port,
                dir,
                child: Some(child),
            };
            if bouncer.wait_until_ready() {
                return bouncer;
            }
            last_log = fs::read_to_string(bouncer.dir.join("pgbouncer.log")).unwrap_or_default();
            // Dropped: stopped and removed; a port taken meanwhile gets another try.
        }
        panic!("PgBouncer did not start; its last log:\n{last_log}");
    }

    /// The port PgBouncer listens on (127.0.0.1).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `base_url` (credentials, database, parameters kept) through this PgBouncer.
    ///
    /// # Panics
    /// For a string that is not a connection string.
    pub fn url_for(&self, base_url: &str) -> String {
        crate::urls::with_address(base_url, SocketAddr::from(([127, 0, 0, 1], self.port)))
    }

    /// PgBouncer's log so far (for a failing test's message).
    pub fn log(&self) -> String {
        fs::read_to_string(self.dir.join("pgbouncer.log")).unwrap_or_default()
    }

    /// Polls until the port accepts a connection, the process exits or the deadline.
    fn wait_until_ready(&mut self) -> bool {
        let address = SocketAddr::from(([127, 0, 0, 1], self.port));
        let deadline = Instant::now() + DEADLINE;
        while Instant::now() < deadline {
            let exited = self
                .child
                .as_mut()
                .is_none_or(|child| !matches!(child.try_wait(), Ok(None)));
            if exited {
                return false;
            }
            if TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }
}

impl Drop for PgBouncer {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            // As root the child is `runuser`: PgBouncer's own pid is in its pid file.
            // SIGTERM: immediate shutdown; `runuser` exits when PgBouncer does.
            let pid = fs::read_to_string(self.dir.join("pgbouncer.pid"))
                .ok()
                .and_then(|text| text.trim().parse::<u32>().ok())
                .unwrap_or(child.id());
            let _ = Command::new("kill")
                .args(["-TERM", &pid.to_string()])
                .status();
            let deadline = Instant::now() + DEADLINE;
            while matches!(child.try_wait(), Ok(None)) && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(10));
            }
            if matches!(child.try_wait(), Ok(None)) {
                let _ = child.kill();
                let _ = child.wait();
            }
        }
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// `/usr/sbin/pgbouncer` (Debian's place, not on a user's PATH), else `pgbouncer` on PATH.
fn binary() -> PathBuf {
    let debian = PathBuf::from("/usr/sbin/pgbouncer");
    if debian.is_file() {
        return debian;
    }
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .map(|dir| dir.join("pgbouncer"))
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| {
            panic!(
                "pgbouncer not found (neither /usr/sbin/pgbouncer nor on PATH): these tests \
                 run mtdb through a real PgBouncer; install it (`apt-get install pgbouncer`)"
            )
        })
}

fn effective_uid() -> u32 {
    use std::os::unix::fs::MetadataExt;
    // `/proc/self` belongs to the process's effective user; without procfs, `id -u`.
    fs::metadata("/proc/self").map_or_else(|_| id(&["-u"]), |m| m.uid())
}

fn id(args: &[&str]) -> u32 {
    let output = Command::new("id")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("running id: {e}"));
    String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("id {args:?} failed: is there an OS user 'postgres'?"))
}

/// The directory and its files to user `postgres`, which runs PgBouncer when we are root.
fn give_to_postgres(dir: &Path) {
    let (uid, gid) = (id(&["-u", "postgres"]), id(&["-g", "postgres"]));
    for path in [
        dir.to_path_buf(),
        dir.join("pgbouncer.ini"),
        dir.join("userlist.txt"),
    ] {
        std::os::unix::fs::chown(&path, Some(uid), Some(gid))
            .unwrap_or_else(|e| panic!("giving {} to postgres: {e}", path.display()));
    }
}
