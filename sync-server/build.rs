fn main() {
    // refinery embeds the SQL at compile time; rebuild when a migration changes.
    println!("cargo:rerun-if-changed=../migrations/server");
    println!("cargo:rerun-if-changed=../migrations/tenant");
}
