//! What every test of the real `wisdom` binary starts from.
#![allow(dead_code)] // each test file uses its own part of it

use std::path::Path;
use std::process::{Command, Output, Stdio};

/// The test journals' passphrase.
pub const PASS: &str = "correct horse battery";

/// The built `wisdom` on workspace `ws`, with its own registry folder `home`, nothing taken from
/// the caller's environment (workspace, passphrase, log level) and no terminal on stdin.
pub fn wisdom_command(home: &Path, ws: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_wisdom"));
    c.args(["--workspace", ws.to_str().unwrap()])
        .args(args)
        .env("WISDOM_HOME", home)
        .env_remove("WISDOM_WORKSPACE")
        .env_remove("WISDOM_PASSPHRASE")
        .env_remove("WISDOM_LOG")
        .stdin(Stdio::null());
    c
}

/// The same, with the test passphrase and without the language model (suggestions by meaning
/// would load it in every process; not what these tests are about).
pub fn wisdom_without_model(home: &Path, ws: &Path, pass: &str, args: &[&str]) -> Output {
    wisdom_command(home, ws, args)
        .env("WISDOM_PASSPHRASE", pass)
        .env("WISDOM_MODEL_DIR", home.join("no-model"))
        .output()
        .unwrap()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
