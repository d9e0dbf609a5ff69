//! `rust-version` in Cargo.toml is the real minimum: no locked dependency declares that it
//! needs a newer Rust. (Bumping a dependency past it fails here, not on a user's older
//! toolchain.) Read from `cargo metadata` for the dependencies built on this platform.

use std::process::Command;

use super::root;

fn version(raw: &str) -> (u32, u32, u32) {
    let mut parts = raw
        .split('.')
        .map(|p| p.parse::<u32>().expect("a numeric version"));
    let major = parts.next().unwrap_or(0);
    (major, parts.next().unwrap_or(0), parts.next().unwrap_or(0))
}

fn host() -> String {
    let out = Command::new("rustc")
        .arg("-vV")
        .output()
        .expect("run rustc -vV");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let host = text.lines().find_map(|l| l.strip_prefix("host: "));
    host.expect("rustc -vV names the host").to_owned()
}

#[test]
fn rust_version_covers_every_locked_dependency() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--locked", "--offline"])
        .args(["--filter-platform", &host()])
        .current_dir(root())
        .output()
        .expect("run cargo metadata");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "cargo metadata failed: {stderr}");
    let metadata: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let packages = metadata["packages"].as_array().expect("packages");

    let workspace: Vec<_> = packages.iter().filter(|p| p["source"].is_null()).collect();
    for crate_ in &workspace {
        assert!(
            crate_["rust_version"].is_string(),
            "{} does not inherit rust-version (rust-version.workspace = true)",
            crate_["name"]
        );
    }
    let ours = workspace[0]["rust_version"]
        .as_str()
        .expect("checked above");
    let needs_more: Vec<String> = packages
        .iter()
        .filter(|p| !p["source"].is_null())
        .filter_map(|p| {
            let needed = p["rust_version"].as_str()?;
            let (name, at) = (p["name"].as_str()?, p["version"].as_str()?);
            (version(needed) > version(ours)).then(|| format!("{name} {at} needs {needed}"))
        })
        .collect();
    assert!(
        needs_more.is_empty(),
        "rust-version = {ours}, but: {}",
        needs_more.join(", ")
    );
}
