// refinery embeds `migrations/` at compile time but does not tell cargo to watch it:
// without this, a new or edited migration would not reach the binary until something
// else made this crate recompile.
fn main() {
    println!("cargo:rerun-if-changed=../../migrations");
}
