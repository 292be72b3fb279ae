//! What every test of the real `wisdom` binary starts from.
#![allow(dead_code)] // each test file uses its own part of it

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The test journals' passphrase.
pub const PASS: &str = "correct horse battery";

/// The built `wisdom` on workspace `ws`, with its own registry folder `home` and unlock agent
/// folder (`home/run`, as `$XDG_RUNTIME_DIR`), nothing taken from the caller's environment
/// (workspace, passphrase, log level, agent mode) and no terminal on stdin.
pub fn wisdom_command(home: &Path, ws: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_wisdom"));
    c.args(["--workspace", ws.to_str().unwrap()])
        .args(args)
        .env("WISDOM_HOME", home)
        .env("XDG_RUNTIME_DIR", runtime_dir(home))
        .env_remove("WISDOM_WORKSPACE")
        .env_remove("WISDOM_PASSPHRASE")
        .env_remove("WISDOM_LOG")
        .env_remove("WISDOM_AGENT")
        .env_remove("WISDOM_NO_AGENT")
        .stdin(Stdio::null());
    c
}

/// The test's own `$XDG_RUNTIME_DIR` (private, as the system makes it), so no test meets the
/// unlock agent of another test or of the person running them.
pub fn runtime_dir(home: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let run = home.join("run");
    std::fs::create_dir_all(&run).unwrap();
    std::fs::set_permissions(&run, std::fs::Permissions::from_mode(0o700)).unwrap();
    run
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

/// A throw-away journal made by `wisdom init`, and the commands run on it (without the language
/// model, with the test passphrase).
pub struct Journal {
    pub dir: tempfile::TempDir,
    pub ws: PathBuf,
}

impl Journal {
    pub fn new(name: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let ws = dir.path().join("journal.wisdom");
        let journal = Journal { dir, ws };
        journal.ok(&["init", "--name", name, "--kdf-memory-mib", "19", "--kdf-iterations", "2"]);
        journal
    }

    pub fn run(&self, args: &[&str]) -> Output {
        wisdom_without_model(&self.dir.path().join("home"), &self.ws, PASS, args)
    }

    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        String::from_utf8(out.stdout).unwrap()
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        serde_json::from_str(&self.ok(&all)).unwrap()
    }

    /// Writes `bytes` to `name` in the journal's folder (making its folders) and returns its path.
    pub fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, bytes).unwrap();
        p
    }
}

/// A connection to the journal at `ws` keyed with its data key (unwrapped with [`PASS`]), as
/// another program of ours would open it: for tests that act beside the `wisdom` binary.
pub fn keyed_connection(ws: &Path) -> rusqlite::Connection {
    use wisdom_core::{KeyFile, Passphrase};
    let key = KeyFile::read(&KeyFile::path_for(ws)).unwrap().open(&Passphrase::new(PASS), ws).unwrap();
    let hex: String = key.bytes().iter().map(|b| format!("{b:02x}")).collect();
    let conn = rusqlite::Connection::open(ws).unwrap();
    conn.execute_batch(&format!("PRAGMA key = \"x'{hex}'\";")).unwrap();
    conn
}

/// A path as a command-line argument.
pub fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}
