//! Server configuration, from the environment and the command line (the command line wins).

use std::net::SocketAddr;
use std::time::Duration;

/// Everything the server needs to start. `Debug` hides the database password.
#[derive(Clone)]
pub struct Config {
    /// Where to listen. Plain HTTP: put TLS in a reverse proxy in front (see docs/sync-server.md).
    pub listen: SocketAddr,
    /// `postgres://user:password@host:port/db` or `host=... user=... password=...`.
    pub database_url: String,
    pub pool_size: usize,
    pub session_ttl: Duration,
    /// Largest request body accepted, in bytes.
    pub max_body: usize,
    /// Login attempts allowed per email and per client address in one window.
    pub login_attempts: u32,
    pub login_window: Duration,
    /// Trust the first `X-Forwarded-For` address (only behind a proxy that sets it).
    pub trust_forwarded_for: bool,
    /// Bytes of sealed attachment chunks one tenant may hold.
    pub tenant_quota: i64,
}

impl Config {
    pub fn new(database_url: impl Into<String>) -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8787)),
            database_url: database_url.into(),
            pool_size: 16,
            session_ttl: Duration::from_secs(30 * 24 * 3600),
            max_body: 16 << 20,
            login_attempts: 10,
            login_window: Duration::from_secs(60),
            trust_forwarded_for: false,
            tenant_quota: 10 << 30,
        }
    }

    /// Reads `WISDOM_SYNC_*` variables, then `--flag value` arguments over them.
    pub fn from_env_and_args(args: impl IntoIterator<Item = String>) -> Result<Self, String> {
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let mut url = env("WISDOM_SYNC_DATABASE_URL").or_else(|| env("DATABASE_URL"));
        let mut listen = env("WISDOM_SYNC_LISTEN");
        let mut pool = env("WISDOM_SYNC_POOL_SIZE");
        let mut max_body = env("WISDOM_SYNC_MAX_BODY");
        let mut ttl_days = env("WISDOM_SYNC_SESSION_DAYS");
        let mut trust = env("WISDOM_SYNC_TRUST_FORWARDED_FOR");
        let mut quota = env("WISDOM_SYNC_TENANT_QUOTA");
        let mut it = args.into_iter();
        while let Some(arg) = it.next() {
            let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
            match arg.as_str() {
                "--database-url" => url = Some(value("--database-url")?),
                "--listen" => listen = Some(value("--listen")?),
                "--pool-size" => pool = Some(value("--pool-size")?),
                "--max-body" => max_body = Some(value("--max-body")?),
                "--session-days" => ttl_days = Some(value("--session-days")?),
                "--trust-forwarded-for" => trust = Some("true".into()),
                "--tenant-quota" => quota = Some(value("--tenant-quota")?),
                "-h" | "--help" => return Err(USAGE.into()),
                other => return Err(format!("unknown argument {other:?}\n\n{USAGE}")),
            }
        }
        let url = url.ok_or_else(|| format!("no database given\n\n{USAGE}"))?;
        let mut c = Config::new(url);
        if let Some(l) = listen {
            c.listen = l.parse().map_err(|e| format!("--listen {l:?}: {e} (expected e.g. 127.0.0.1:8787)"))?;
        }
        if let Some(p) = pool {
            c.pool_size = p.parse().ok().filter(|n| (1..=1000).contains(n)).ok_or("--pool-size: 1 to 1000")?;
        }
        if let Some(b) = max_body {
            c.max_body = b.parse().ok().filter(|n| *n >= 1024).ok_or("--max-body: a byte count of at least 1024")?;
        }
        if let Some(d) = ttl_days {
            let days: u64 = d.parse().ok().filter(|n| (1..=365).contains(n)).ok_or("--session-days: 1 to 365")?;
            c.session_ttl = Duration::from_secs(days * 24 * 3600);
        }
        if let Some(q) = quota {
            c.tenant_quota =
                q.parse().ok().filter(|n| *n >= 0).ok_or("--tenant-quota: a byte count (attachments per workspace)")?;
        }
        if let Some(t) = trust {
            c.trust_forwarded_for = matches!(t.as_str(), "1" | "true" | "yes");
        }
        Ok(c)
    }
}

pub const USAGE: &str = "usage: wisdom-sync-server [--database-url URL] [--listen ADDR] [--pool-size N]
                          [--max-body BYTES] [--session-days N] [--trust-forwarded-for]
                          [--tenant-quota BYTES]
environment: WISDOM_SYNC_DATABASE_URL (or DATABASE_URL), WISDOM_SYNC_LISTEN (default 127.0.0.1:8787),
             WISDOM_SYNC_POOL_SIZE, WISDOM_SYNC_MAX_BODY, WISDOM_SYNC_SESSION_DAYS,
             WISDOM_SYNC_TRUST_FORWARDED_FOR, WISDOM_SYNC_TENANT_QUOTA (default 10 GiB),
             RUST_LOG (e.g. info), WISDOM_SYNC_LOG_FORMAT=json";

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("database_url", &redact(&self.database_url))
            .field("pool_size", &self.pool_size)
            .field("session_ttl", &self.session_ttl)
            .field("max_body", &self.max_body)
            .field("login_attempts", &self.login_attempts)
            .field("login_window", &self.login_window)
            .field("trust_forwarded_for", &self.trust_forwarded_for)
            .field("tenant_quota", &self.tenant_quota)
            .finish()
    }
}

/// The database address with any password replaced by `***`, in both URL and key=value forms.
pub fn redact(url: &str) -> String {
    if let Some(scheme_end) = url.find("://") {
        let rest = &url[scheme_end + 3..];
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        if let Some(at) = rest[..authority_end].rfind('@') {
            let userinfo = &rest[..at];
            if let Some(colon) = userinfo.find(':') {
                return format!("{}{}:***{}", &url[..scheme_end + 3], &userinfo[..colon], &rest[at..]);
            }
        }
        // A password may also ride in the query string.
        if let Some(q) = url.find("password=") {
            let end = url[q..].find('&').map_or(url.len(), |e| q + e);
            return format!("{}password=***{}", &url[..q], &url[end..]);
        }
        return url.to_string();
    }
    url.split_whitespace()
        .map(|kv| if kv.starts_with("password=") { "password=***".to_string() } else { kv.to_string() })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_database_password() {
        let c = Config::new("postgres://sync:s3cret@db.internal:5432/wisdom");
        let shown = format!("{c:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("postgres://sync:***@db.internal:5432/wisdom"));
        assert_eq!(redact("host=/tmp user=a password=hunter2 dbname=x"), "host=/tmp user=a password=*** dbname=x");
        assert_eq!(redact("postgres://h/db?user=a&password=pw&x=1"), "postgres://h/db?user=a&password=***&x=1");
        assert_eq!(redact("postgres://localhost/db"), "postgres://localhost/db");
    }
}
