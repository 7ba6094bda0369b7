//! Typed configuration, read once from the environment (a `.env` file is allowed).

use rand::RngCore;

use crate::auth::{parse_trusted_proxies, TrustedProxies};
use crate::db::DbUrl;

/// A secret value: usable, never printed.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself, for the one place that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Everything the service reads from its environment.
#[derive(Clone)]
pub struct Config {
    /// `DATABASE_URL`: `postgres://…`, or a SQLite file path (default `cadre.db`).
    pub database_url: String,
    /// `CADRE_BIND`: the address to listen on (default `127.0.0.1:8080`).
    pub bind: String,
    /// `CADRE_JWT_SECRET`: the HS256 signing key, at least 32 bytes.
    pub jwt_secret: Secret,
    /// True when no secret was configured and a random one was made for this process.
    pub jwt_secret_generated: bool,
    /// `CADRE_ADMIN_PASSWORD`: the first admin's password, used only when there is no user.
    pub admin_password: Option<Secret>,
    /// `CADRE_TOKEN_TTL_SECONDS`: how long an access token lives (default 3600).
    pub token_ttl_seconds: i64,
    /// `CADRE_CORS_ORIGINS`: origins (comma-separated) whose front-ends may call the API; none by default.
    pub cors_origins: Vec<String>,
    /// `CADRE_TRUSTED_PROXIES`: the reverse proxies (addresses or networks, comma-separated)
    /// whose `X-Forwarded-For` names the client; none by default.
    pub trusted_proxies: TrustedProxies,
    /// `CADRE_IMPORT_MAX_BYTES`: the largest spreadsheet an import takes (default 50 MB).
    pub import_max_bytes: usize,
    /// `CADRE_SHUTDOWN_GRACE_SECONDS`: on SIGTERM, how long requests in flight may take to
    /// finish before the workers are stopped (default 30).
    pub shutdown_grace_seconds: u64,
    /// `CADRE_METRICS_BIND`: the address `/metrics` is served on, apart from the API; off when
    /// unset.
    pub metrics_bind: Option<String>,
}

impl std::fmt::Debug for Config {
    // The database URL may carry a password: it is shown as `DbUrl` shows it, redacted.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &DbUrl::parse(&self.database_url))
            .field("bind", &self.bind)
            .field("jwt_secret", &self.jwt_secret)
            .field("jwt_secret_generated", &self.jwt_secret_generated)
            .field("admin_password", &self.admin_password)
            .field("token_ttl_seconds", &self.token_ttl_seconds)
            .field("cors_origins", &self.cors_origins)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("import_max_bytes", &self.import_max_bytes)
            .field("shutdown_grace_seconds", &self.shutdown_grace_seconds)
            .field("metrics_bind", &self.metrics_bind)
            .finish()
    }
}

/// The shortest signing key accepted, in bytes.
pub const MIN_SECRET_LEN: usize = 32;

impl Config {
    /// Reads the configuration from the process environment and `.env`.
    pub fn from_env() -> Result<Self, String> {
        let _ = dotenvy::dotenv();
        Self::from_lookup(|key| std::env::var(key).ok().filter(|v| !v.is_empty()))
    }

    /// Reads the configuration through `lookup`, so tests need not touch the environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let (jwt_secret, jwt_secret_generated) = match lookup("CADRE_JWT_SECRET") {
            Some(secret) if secret.len() < MIN_SECRET_LEN => {
                return Err(format!(
                    "CADRE_JWT_SECRET must be at least {MIN_SECRET_LEN} bytes long (it is {})",
                    secret.len()
                ))
            }
            Some(secret) => (Secret::new(secret), false),
            None => {
                let mut bytes = [0u8; 48];
                rand::thread_rng().fill_bytes(&mut bytes);
                (Secret::new(crate::domain::hex(&bytes)), true)
            }
        };
        let token_ttl_seconds = within(&lookup, "CADRE_TOKEN_TTL_SECONDS", 3600, 60..=86_400, "seconds")?;
        let import_max_bytes = within(
            &lookup,
            "CADRE_IMPORT_MAX_BYTES",
            50 * 1024 * 1024,
            1024..=1 << 30,
            "bytes",
        )?;
        let shutdown_grace_seconds = within(&lookup, "CADRE_SHUTDOWN_GRACE_SECONDS", 30, 0..=3600, "seconds")?;
        Ok(Config {
            database_url: lookup("DATABASE_URL").unwrap_or_else(|| "cadre.db".to_owned()),
            bind: lookup("CADRE_BIND").unwrap_or_else(|| "127.0.0.1:8080".to_owned()),
            jwt_secret,
            jwt_secret_generated,
            admin_password: lookup("CADRE_ADMIN_PASSWORD").map(Secret::new),
            token_ttl_seconds,
            cors_origins: parse_origins(lookup("CADRE_CORS_ORIGINS").as_deref())?,
            trusted_proxies: parse_trusted_proxies(lookup("CADRE_TRUSTED_PROXIES").as_deref())?,
            import_max_bytes,
            shutdown_grace_seconds,
            metrics_bind: lookup("CADRE_METRICS_BIND"),
        })
    }
}

/// The number `name` holds, which must lie in `range` (of `unit`); `default` when unset.
fn within<T>(
    lookup: &impl Fn(&str) -> Option<String>,
    name: &str,
    default: T,
    range: std::ops::RangeInclusive<T>,
    unit: &str,
) -> Result<T, String>
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display,
{
    match lookup(name) {
        None => Ok(default),
        Some(raw) => raw.parse::<T>().ok().filter(|n| range.contains(n)).ok_or_else(|| {
            format!(
                "{name} must be {} to {} {unit}, not {raw:?}",
                range.start(),
                range.end()
            )
        }),
    }
}

/// Parses `https://a.example, http://localhost:3000` into origins, refusing what is not one.
fn parse_origins(raw: Option<&str>) -> Result<Vec<String>, String> {
    let Some(raw) = raw else { return Ok(Vec::new()) };
    raw.split(',')
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .map(|origin| match url::Url::parse(origin) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.path() == "/" && !origin.ends_with('/') => {
                Ok(origin.to_owned())
            }
            _ => Err(format!(
                "CADRE_CORS_ORIGINS: {origin:?} is not an origin such as https://hr.example.gov.vn"
            )),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_secret_is_refused_and_secrets_are_not_printed() {
        let short = Config::from_lookup(|k| (k == "CADRE_JWT_SECRET").then(|| "short".to_owned()));
        assert!(short.is_err());
        let config = Config::from_lookup(|k| match k {
            "CADRE_JWT_SECRET" => Some("a".repeat(40)),
            "CADRE_ADMIN_PASSWORD" => Some("hunter2-hunter2".to_owned()),
            _ => None,
        })
        .expect("valid config");
        let printed = format!("{config:?}");
        assert!(!printed.contains("aaaa"), "{printed}");
        assert!(!printed.contains("hunter2"), "{printed}");
        let on_postgres = Config::from_lookup(|k| match k {
            "DATABASE_URL" => Some("postgres://cadre:s3cret-db-pass@db.internal:5432/cadre".to_owned()),
            _ => None,
        })
        .expect("valid config");
        let printed = format!("{on_postgres:?}");
        assert!(!printed.contains("s3cret-db-pass"), "{printed}");
        assert!(printed.contains("db.internal"), "{printed}");
        assert_eq!(config.database_url, "cadre.db");
        assert!(!config.jwt_secret_generated);
    }

    #[test]
    fn without_a_secret_one_is_made_for_the_process() {
        let config = Config::from_lookup(|_| None).expect("defaults");
        assert!(config.jwt_secret_generated);
        assert!(config.jwt_secret.expose().len() >= MIN_SECRET_LEN);
        let again = Config::from_lookup(|_| None).expect("defaults");
        assert_ne!(config.jwt_secret.expose(), again.jwt_secret.expose());
        assert_eq!(
            (config.bind.as_str(), config.token_ttl_seconds),
            ("127.0.0.1:8080", 3600)
        );
        assert!(config.cors_origins.is_empty());
    }

    #[test]
    fn lifetimes_and_origins_are_checked() {
        let with =
            |key: &'static str, value: &'static str| Config::from_lookup(move |k| (k == key).then(|| value.to_owned()));
        assert_eq!(
            with("CADRE_TOKEN_TTL_SECONDS", "600").expect("valid").token_ttl_seconds,
            600
        );
        assert!(with("CADRE_TOKEN_TTL_SECONDS", "30").is_err());
        assert!(with("CADRE_TOKEN_TTL_SECONDS", "an hour").is_err());
        assert_eq!(
            Config::from_lookup(|_| None).expect("defaults").shutdown_grace_seconds,
            30
        );
        assert_eq!(
            with("CADRE_SHUTDOWN_GRACE_SECONDS", "0")
                .expect("valid")
                .shutdown_grace_seconds,
            0
        );
        let refused = with("CADRE_SHUTDOWN_GRACE_SECONDS", "3601").expect_err("refused");
        assert_eq!(
            refused,
            "CADRE_SHUTDOWN_GRACE_SECONDS must be 0 to 3600 seconds, not \"3601\""
        );
        let origins = with("CADRE_CORS_ORIGINS", "https://hr.example.gov.vn, http://localhost:3000").expect("valid");
        assert_eq!(
            origins.cors_origins,
            ["https://hr.example.gov.vn", "http://localhost:3000"]
        );
        assert!(with("CADRE_CORS_ORIGINS", "https://hr.example.gov.vn/path").is_err());
        assert!(with("CADRE_CORS_ORIGINS", "hr.example.gov.vn").is_err());
    }
}
