//! Settings are printed with `{:?}` (logs, panics): the JWT secret never is.

use mtdb_app::config::ServeSettings;

use crate::helpers::SECRET;

#[test]
fn the_settings_debug_output_never_holds_the_jwt_secret() {
    let settings = ServeSettings::ephemeral("postgres://mtdb_app@127.0.0.1:1/mtdb", SECRET);
    let printed = format!("{settings:?}");
    let secret = std::str::from_utf8(SECRET).expect("an ASCII secret");
    assert!(!printed.contains(secret), "the secret leaked: {printed}");
}
