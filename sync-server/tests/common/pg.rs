//! A throwaway PostgreSQL cluster from the system's binaries: initdb into a temp dir, started with
//! pg_ctl on a free loopback port, stopped and deleted on drop. initdb refuses to run as root, so
//! as root the cluster belongs to an unprivileged system user (postgres, else nobody) via runuser.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Pg {
    pub port: u16,
    dir: tempfile::TempDir,
    bin: PathBuf,
    run_as: Option<String>,
}

fn bin_dir() -> PathBuf {
    if let Ok(dir) = std::env::var("WISDOM_PG_BIN") {
        return PathBuf::from(dir);
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL is not installed (scripts/test installs it): no /usr/lib/postgresql")
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|p| p.join("initdb").exists())
        .collect();
    versions.sort_by_key(|p| {
        p.parent().and_then(|v| v.file_name()).and_then(|v| v.to_str()).and_then(|v| v.parse::<u32>().ok())
    });
    versions.pop().expect("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin")
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0").unwrap_or(false)
}

fn user_exists(name: &str) -> bool {
    Command::new("id").arg("-u").arg(name).output().map(|o| o.status.success()).unwrap_or(false)
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Pg {
    pub fn start() -> Pg {
        let bin = bin_dir();
        let dir = tempfile::Builder::new().prefix("wisdom-pg-").tempdir().unwrap();
        let run_as = is_root().then(|| if user_exists("postgres") { "postgres" } else { "nobody" }.to_string());
        if let Some(user) = &run_as {
            let ok = Command::new("chown").arg("-R").arg(user).arg(dir.path()).status().unwrap().success();
            assert!(ok, "chown of the cluster directory failed");
        }
        let pg = Pg { port: free_port(), dir, bin, run_as };
        pg.run(
            "initdb",
            &[
                "-D",
                pg.data().to_str().unwrap(),
                "-U",
                "wisdom",
                "--auth=trust",
                "--no-sync",
                "--locale=C",
                "-E",
                "UTF8",
            ],
        );
        let opts = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
             -c full_page_writes=off -c max_connections=400 -c shared_buffers=128MB",
            pg.port,
            pg.dir.path().display()
        );
        let log = pg.dir.path().join("postgres.log");
        pg.run(
            "pg_ctl",
            &["-D", pg.data().to_str().unwrap(), "-o", &opts, "-l", log.to_str().unwrap(), "-w", "-t", "60", "start"],
        );
        pg
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn run(&self, tool: &str, args: &[&str]) {
        let exe = self.bin.join(tool);
        let mut cmd = match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.arg("-u").arg(user).arg("--").arg(&exe);
                c
            }
            None => Command::new(&exe),
        };
        let out = cmd.args(args).current_dir(self.dir.path()).output().unwrap_or_else(|e| panic!("{tool}: {e}"));
        if !out.status.success() {
            let log = std::fs::read_to_string(self.dir.path().join("postgres.log")).unwrap_or_default();
            panic!(
                "{tool} failed: {}\n{}\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr),
                log
            );
        }
    }

    pub fn url(&self) -> String {
        format!("postgres://wisdom@127.0.0.1:{}/postgres", self.port)
    }

    /// A SQL dump of the whole database (what an operator, or a thief of a backup, would have).
    pub fn dump(&self) -> String {
        let out = Command::new(self.bin.join("pg_dump"))
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", "wisdom", "postgres"])
            .output()
            .unwrap();
        assert!(out.status.success(), "pg_dump: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs SQL with psql and returns its unaligned output.
    pub fn psql(&self, sql: &str) -> String {
        let out = Command::new(self.bin.join("psql"))
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-U",
                "wisdom",
                "-d",
                "postgres",
                "-XAtq",
                "-c",
                sql,
            ])
            .output()
            .unwrap();
        assert!(out.status.success(), "psql: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Pg {
    fn drop(&mut self) {
        let data = self.data();
        let exe = self.bin.join("pg_ctl");
        let mut cmd = match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.arg("-u").arg(user).arg("--").arg(&exe);
                c
            }
            None => Command::new(&exe),
        };
        let _ = cmd.args(["-D", data.to_str().unwrap(), "-m", "immediate", "-w", "stop"]).output();
    }
}
