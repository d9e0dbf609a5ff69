//! A port of 127.0.0.1 for the processes the tests start (a primary, a standby,
//! PgBouncer). Not the kernel's `bind(0)` choice: that comes from the ephemeral range,
//! where every outbound connection of the suite's thousands also takes its port, so one
//! could take ours in the seconds between the choice and the server's `bind`. A port
//! chosen at random just below that range is only ever taken by another such choice; the
//! primary's and PgBouncer's launchers still try another port when theirs was taken.

use std::net::TcpListener;

/// Where Linux keeps the first and last ephemeral port.
const EPHEMERAL_RANGE: &str = "/proc/sys/net/ipv4/ip_local_port_range";

/// How many ports below the ephemeral range the choice ranges over (at most).
const SPAN: u16 = 12_000;

/// A port of 127.0.0.1 nobody listens on now, outside the ephemeral range when there is
/// room below it; the kernel's choice otherwise.
///
/// # Panics
/// When no port of 127.0.0.1 can be bound at all.
pub fn free_port() -> u16 {
    let first_ephemeral = ephemeral_start();
    let span = first_ephemeral.saturating_sub(1024).min(SPAN);
    if span > 0 {
        for _ in 0..64 {
            let port = first_ephemeral - 1 - random() % span;
            if TcpListener::bind(("127.0.0.1", port)).is_ok() {
                return port;
            }
        }
    }
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .unwrap_or_else(|e| panic!("finding a free port: {e}"))
}

/// The first ephemeral port; Linux's default when the file is unreadable.
fn ephemeral_start() -> u16 {
    std::fs::read_to_string(EPHEMERAL_RANGE)
        .ok()
        .and_then(|text| text.split_whitespace().next()?.parse().ok())
        .unwrap_or(32_768)
}

fn random() -> u16 {
    let bytes = uuid::Uuid::new_v4().into_bytes();
    u16::from_le_bytes([bytes[0], bytes[1]])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_port_is_free_and_below_the_ephemeral_range() {
        let port = free_port();
        assert!(port < ephemeral_start(), "{port} is in the ephemeral range");
        assert!(port >= 1024, "{port} is a privileged port");
        assert!(TcpListener::bind(("127.0.0.1", port)).is_ok());
    }
}
