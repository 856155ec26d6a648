//! Passwords never printed: every credential form of a database URL is
//! hidden in the library's errors and summaries and in what `nomenclator
//! apply` and `drop` print. The URLs point at port 1, where nothing listens,
//! so that connecting fails at once and the error names the URL.

use assert_cmd::Command;
use nomenclator::engine::{DbUrl, Engine};

const SECRET: &str = "hunter2";

/// Where the URLs point: a port where nothing listens (no server is needed).
const NOWHERE: &str = "127.0.0.1:1";

/// Every form a credential can take in a URL, for both servers.
fn urls() -> Vec<String> {
    let mut out = Vec::new();
    for base in [
        "postgres://bob@127.0.0.1:1/db",
        "mysql://bob@127.0.0.1:1/db",
    ] {
        for param in [
            "password",
            "pass",
            "pwd",
            "sslpassword",
            "PassWord",
            "pass%77ord",
            "auth_token",
        ] {
            out.push(format!("{base}?{param}={SECRET}"));
            out.push(format!(
                "{base}?sslmode=disable&{param}={SECRET}&connect_timeout=2"
            ));
        }
        out.push(base.replacen("bob@", &format!("bob:{SECRET}@"), 1));
        out.push(base.replacen("bob@", &format!(":{SECRET}@"), 1));
        out.push(format!("{base}?password={SECRET}#x"));
    }
    out.push(format!("mariadb://root:{SECRET}@{NOWHERE}/db"));
    out.push(format!("postgresql://u@{NOWHERE}/db?password=a&{SECRET}"));
    out
}

#[test]
fn the_library_hides_every_credential() {
    for url in urls() {
        let shown = DbUrl::parse(&url).unwrap().display();
        assert!(!shown.contains(SECRET), "{url}: {shown}");
        assert!(shown.contains("***"), "{url}: {shown}");
        let engine = Engine::from_url(&url).unwrap();
        assert!(!format!("{engine:?}").contains(SECRET), "{url}");
        let err = engine.connect().unwrap_err();
        let msg = err.to_string();
        assert!(!msg.contains(SECRET), "{url}: {msg}");
        assert!(!format!("{err:?}").contains(SECRET), "{url}: {err:?}");
        assert!(msg.contains(NOWHERE), "{url}: {msg}");
    }
    // A URL refused as it is.
    let err = Engine::from_url(&format!("oracle://u:{SECRET}@h/db?password={SECRET}")).unwrap_err();
    assert!(!err.to_string().contains(SECRET), "{err}");
}

#[test]
fn apply_and_drop_hide_every_credential() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("t.toml");
    std::fs::write(
        &file,
        "[[tables]]\nname = \"t\"\ncolumns = [{ name = \"id\", type = \"integer\", primary_key = true }]\n",
    )
    .unwrap();
    for url in urls() {
        for command in ["apply", "drop"] {
            // Given as --url and as DATABASE_URL.
            for via_env in [false, true] {
                let mut c = Command::cargo_bin("nomenclator").unwrap();
                c.arg(command).arg(&file);
                if via_env {
                    c.env("DATABASE_URL", &url);
                } else {
                    c.env_remove("DATABASE_URL").args(["--url", &url]);
                }
                let out = c.output().unwrap();
                let stderr = String::from_utf8_lossy(&out.stderr);
                let stdout = String::from_utf8_lossy(&out.stdout);
                assert!(!out.status.success(), "{command} {url}");
                assert!(stderr.contains(NOWHERE), "{command} {url}: {stderr}");
                assert!(
                    !stderr.contains(SECRET) && !stdout.contains(SECRET),
                    "{command} {url} (env: {via_env}): {stderr}{stdout}"
                );
            }
        }
    }
}
