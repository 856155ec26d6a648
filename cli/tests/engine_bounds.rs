//! Every wait is bounded, and every duration checked (issue 11): a server
//! (or a pooler with a full queue) that accepts the connection and never
//! answers, one that answers the login and then nothing, statements that
//! run too long on the live servers, and durations the databases cannot
//! take. Fake servers listen on 127.0.0.1 only, for a bounded time.

#![allow(clippy::result_large_err)]

mod engine_support;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use engine_support::two_tables;
use nomenclator::engine::{Engine, EngineError, RunOptions, Wait};
use nomenclator::schema::DialectKind;

fn nomenclator() -> Command {
    let mut c = engine_support::nomenclator();
    // The binary must end by itself; this only keeps a failing test from hanging.
    c.timeout(Duration::from_secs(60));
    c
}

/// The URL of a fake server of this file on `port` (not a database server:
/// the tests that use one run everywhere, unlike those marked `#[ignore]`).
fn fake_url(scheme: &str, port: u16) -> String {
    format!("{scheme}://u@127.0.0.1:{port}/db")
}

/// How long a fake server stays up.
const SERVE_FOR: Duration = Duration::from_secs(90);

/// Listens on 127.0.0.1 and hands each connection to `serve` on a thread
/// of its own, for [`SERVE_FOR`]; returns the port.
fn fake_server(serve: fn(TcpStream)) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    listener.set_nonblocking(true).unwrap();
    std::thread::spawn(move || {
        let started = Instant::now();
        while started.elapsed() < SERVE_FOR {
            match listener.accept() {
                Ok((stream, _)) => {
                    let _ = stream.set_nonblocking(false);
                    std::thread::spawn(move || serve(stream));
                }
                Err(_) => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    });
    port
}

/// Accepts and never answers (reads what comes, so the client's writes
/// succeed), until [`SERVE_FOR`] is over.
fn silent(mut stream: TcpStream) {
    let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
    let started = Instant::now();
    let mut buf = [0u8; 4096];
    while started.elapsed() < SERVE_FOR {
        match stream.read(&mut buf) {
            Ok(0) => return,
            _ => continue,
        }
    }
}

/// One PostgreSQL message of the frontend after the startup: type, body.
fn read_message(stream: &mut TcpStream) -> Option<(u8, Vec<u8>)> {
    let mut head = [0u8; 5];
    stream.read_exact(&mut head).ok()?;
    let len = u32::from_be_bytes([head[1], head[2], head[3], head[4]]) as usize;
    let mut body = vec![0u8; len.checked_sub(4)?];
    stream.read_exact(&mut body).ok()?;
    Some((head[0], body))
}

/// A PostgreSQL server that lets anyone log in, answers the first simple
/// query (the session's `SET statement_timeout`) and then nothing.
fn pg_login_then_silent(mut stream: TcpStream) {
    // The startup message (after an SSL request, answered "no").
    loop {
        let mut len = [0u8; 4];
        if stream.read_exact(&mut len).is_err() {
            return;
        }
        let len = u32::from_be_bytes(len) as usize;
        let mut body = vec![0u8; len.saturating_sub(4)];
        if stream.read_exact(&mut body).is_err() {
            return;
        }
        if body.starts_with(&80877103u32.to_be_bytes()) {
            let _ = stream.write_all(b"N");
            continue;
        }
        break;
    }
    let mut out = Vec::new();
    out.extend_from_slice(b"R\0\0\0\x08\0\0\0\0"); // AuthenticationOk
    out.extend_from_slice(b"K\0\0\0\x0c\0\0\x30\x39\0\0\0\x01"); // BackendKeyData
    out.extend_from_slice(b"Z\0\0\0\x05I"); // ReadyForQuery
    if stream.write_all(&out).is_err() {
        return;
    }
    if let Some((b'Q', _)) = read_message(&mut stream) {
        let _ = stream.write_all(b"C\0\0\0\x08SET\0Z\0\0\0\x05I");
    }
    silent(stream);
}

/// A document of two tables, written next to a temporary directory's database.
fn document(dir: &tempfile::TempDir, extra: &str) -> PathBuf {
    let doc = dir.path().join("shop.toml");
    std::fs::write(
        &doc,
        format!(
            "{extra}\n[[tables]]\nname = \"organization\"\ncolumns = [{{ name = \"id\", type = \"integer\", primary_key = true }}]\n\n\
             [[tables]]\nname = \"customer\"\ncolumns = [\n  {{ name = \"id\", type = \"integer\", primary_key = true }},\n  \
             {{ name = \"organization_id\", type = \"integer\", references = \"organization.id\" }},\n]\n"
        ),
    )
    .unwrap();
    doc
}

/// Runs the binary; returns its exit code, standard error and how long it took.
fn run(args: &[&str]) -> (Option<i32>, String, Duration) {
    let started = Instant::now();
    let out = nomenclator().args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        started.elapsed(),
    )
}

#[test]
fn apply_and_drop_give_up_on_a_server_that_never_answers_the_login() {
    let dir = tempfile::tempdir().unwrap();
    let doc = document(&dir, "");
    let doc = doc.to_str().unwrap();
    let port = fake_server(silent);
    for (scheme, command) in [
        ("postgres", "apply"),
        ("postgres", "drop"),
        ("mysql", "apply"),
        ("mysql", "drop"),
    ] {
        let url = fake_url(scheme, port);
        let (code, stderr, took) = run(&[command, doc, "--url", &url, "--connect-timeout", "1s"]);
        assert_eq!(code, Some(1), "{scheme} {command}: {stderr}");
        assert!(
            took < Duration::from_secs(6),
            "{scheme} {command}: took {took:?}"
        );
        assert!(
            stderr.contains("did not finish the login within 1s")
                && stderr.contains("--connect-timeout"),
            "{scheme} {command}: {stderr}"
        );
    }
}

#[test]
fn the_default_bound_of_a_login_is_ten_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let doc = document(&dir, "");
    let port = fake_server(silent);
    let url = fake_url("postgres", port);
    let (code, stderr, took) = run(&["apply", doc.to_str().unwrap(), "--url", &url]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        took >= Duration::from_secs(9) && took < Duration::from_secs(20),
        "took {took:?}"
    );
    assert!(stderr.contains("within 10s"), "{stderr}");
}

#[test]
fn a_server_that_stops_answering_after_the_login_fails_the_run_within_the_statement_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let doc = document(&dir, "");
    let port = fake_server(pg_login_then_silent);
    let url = fake_url("postgres", port);
    let (code, stderr, took) = run(&[
        "apply",
        doc.to_str().unwrap(),
        "--url",
        &url,
        "--statement-timeout",
        "1s",
        "--lock-timeout",
        "500ms",
    ]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(took < Duration::from_secs(6), "took {took:?}");
    assert!(
        stderr.contains("no answer")
            && stderr.contains("within 2s")
            && stderr.contains("--statement-timeout"),
        "{stderr}"
    );
    assert!(
        stderr.contains("BEGIN"),
        "says what got no answer: {stderr}"
    );
}

#[test]
#[ignore = "needs PostgreSQL at 127.0.0.1:5432 (cargo test -- --include-ignored)"]
fn a_statement_that_runs_too_long_on_postgres_is_stopped_and_rolled_back() {
    let db = engine_support::postgres("slow");
    let dir = tempfile::tempdir().unwrap();
    let doc = document(
        &dir,
        "ddl = [{ when = \"after_create\", sql = \"SELECT pg_sleep(30)\" }]\n",
    );
    let (code, stderr, took) = run(&[
        "apply",
        doc.to_str().unwrap(),
        "--url",
        &db.url,
        "--statement-timeout",
        "2s",
        "--lock-timeout",
        "1s",
    ]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(took < Duration::from_secs(10), "took {took:?}");
    assert!(
        stderr.contains("pg_sleep(30)") && stderr.contains("--statement-timeout"),
        "{stderr}"
    );
    assert!(stderr.contains("rolled back"), "{stderr}");
    assert!(engine_support::pg_leftovers(&db).is_empty());
}

#[test]
#[ignore = "needs MariaDB at 127.0.0.1:3306 (cargo test -- --include-ignored)"]
fn a_statement_that_runs_too_long_on_mariadb_is_given_up_and_reported() {
    let db = engine_support::mariadb("slow");
    let dir = tempfile::tempdir().unwrap();
    let doc = document(
        &dir,
        "ddl = [{ when = \"after_create\", sql = \"SELECT SLEEP(30)\" }]\n",
    );
    let (code, stderr, took) = run(&[
        "apply",
        doc.to_str().unwrap(),
        "--url",
        &db.url,
        "--statement-timeout",
        "2s",
        "--lock-timeout",
        "1s",
    ]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(took < Duration::from_secs(10), "took {took:?}");
    assert!(
        stderr.contains("SLEEP(30)") && stderr.contains("--statement-timeout"),
        "{stderr}"
    );
    // The tables were created (MySQL commits DDL) and are listed, with their undo.
    assert!(
        stderr.contains("already run and remain") && stderr.contains("DROP TABLE customer;"),
        "{stderr}"
    );
}

#[test]
fn durations_the_database_cannot_take_are_usage_errors_not_panics() {
    let dir = tempfile::tempdir().unwrap();
    let doc = document(&dir, "");
    let doc = doc.to_str().unwrap();
    let sqlite = format!("sqlite://{}", dir.path().join("shop.db").display());
    // Nothing listens there: the options are refused before connecting.
    let pg = fake_url("postgres", 9);
    let pg = pg.as_str();
    let my = fake_url("mysql", 9);
    let my = my.as_str();
    for (url, args, says) in [
        (sqlite.as_str(), ["--lock-timeout", "600h"], "2147483647 ms"),
        (
            sqlite.as_str(),
            ["--lock-timeout", "24days 20h 31m 24s"],
            "2147483647 ms",
        ),
        (pg, ["--lock-timeout", "600h"], "2147483647 ms"),
        (my, ["--lock-timeout", "10000h"], "31536000 s"),
        (pg, ["--connect-timeout", "0s"], "longer than zero"),
        (my, ["--statement-timeout", "0s"], "longer than zero"),
        (pg, ["--statement-timeout", "600h"], "2147483647 ms"),
    ] {
        for command in ["apply", "drop"] {
            let mut all = vec![command, doc, "--url", url];
            all.extend(args);
            let (code, stderr, _) = run(&all);
            assert_eq!(code, Some(2), "{all:?}: {stderr}");
            assert!(stderr.contains(says), "{all:?}: {stderr}");
            assert!(!stderr.contains("panicked"), "{all:?}: {stderr}");
        }
    }
    // The longest each database takes is fine.
    let (code, stderr, _) = run(&[
        "apply",
        doc,
        "--url",
        &sqlite,
        "--lock-timeout",
        "24days 20h 31m 23s",
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    let (code, stderr, _) = run(&["drop", doc, "--url", &sqlite, "--lock-timeout", "24days"]);
    assert_eq!(code, Some(0), "{stderr}");
}

/// The server's settings that size its shared lock table.
fn lock_settings(db: &engine_support::TestDb) -> (i64, i64, i64) {
    let get = |name: &str| db.count(&format!("SELECT current_setting('{name}')::int8"));
    (
        get("max_locks_per_transaction"),
        get("max_connections"),
        get("max_prepared_transactions"),
    )
}

/// A JSON document of `n` tables `t00000`, ... with an integer primary key.
fn many_tables(dir: &tempfile::TempDir, n: usize) -> PathBuf {
    let tables: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"name": "t{i:05}", "columns": [{{"name": "id", "type": "integer", "primary_key": true}}]}}"#
            )
        })
        .collect();
    let doc = dir.path().join("many.json");
    std::fs::write(&doc, format!(r#"{{"tables": [{}]}}"#, tables.join(",\n"))).unwrap();
    doc
}

#[test]
#[ignore = "needs PostgreSQL at 127.0.0.1:5432 (cargo test -- --include-ignored)"]
fn postgres_refuses_to_create_more_tables_than_it_could_drop_in_one_transaction() {
    let db = engine_support::postgres("locks");
    let (per, connections, prepared) = lock_settings(&db);
    let capacity = per * (connections + prepared);
    // Each table takes at least 5 locks to create and 7 to drop (the table,
    // its row and array types, its primary key's constraint and index).
    let n = usize::try_from(capacity / 5 + 1).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let doc = many_tables(&dir, n);
    let (code, stderr, took) = run(&["apply", doc.to_str().unwrap(), "--url", &db.url]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(took < Duration::from_secs(30), "took {took:?}");
    assert!(
        stderr.contains("refused before running anything")
            && stderr.contains(&format!("holds {capacity}"))
            && stderr.contains("max_locks_per_transaction"),
        "{stderr}"
    );
    assert!(engine_support::pg_leftovers(&db).is_empty());
}

#[test]
#[ignore = "needs PostgreSQL at 127.0.0.1:5432 (cargo test -- --include-ignored)"]
fn postgres_refuses_to_drop_more_tables_than_its_lock_table_holds_and_drops_nothing() {
    let db = engine_support::postgres("droplocks");
    let (per, connections, prepared) = lock_settings(&db);
    let capacity = per * (connections + prepared);
    let n = usize::try_from(capacity / 7 + 1).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let doc = many_tables(&dir, n);
    // Made by hand, a few hundred tables per transaction.
    let mut c = db.engine().connect().unwrap();
    for chunk in (0..n).collect::<Vec<_>>().chunks(200) {
        let sql: Vec<String> = chunk
            .iter()
            .map(|i| format!("CREATE TABLE t{i:05} (id integer PRIMARY KEY)"))
            .collect();
        c.execute(&sql.join(";\n")).unwrap();
    }
    drop(c);
    let tables = "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'";
    assert_eq!(db.count(tables), n as i64);
    let (code, stderr, _) = run(&["drop", doc.to_str().unwrap(), "--url", &db.url]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("dropping these tables in one transaction needs about")
            && stderr.contains("max_locks_per_transaction"),
        "{stderr}"
    );
    assert_eq!(db.count(tables), n as i64, "nothing dropped");
}

#[test]
#[ignore = "needs PostgreSQL at 127.0.0.1:5432 (cargo test -- --include-ignored)"]
fn postgres_errors_keep_the_servers_detail_and_hint() {
    let db = engine_support::postgres("hint");
    let dir = tempfile::tempdir().unwrap();
    let doc = document(
        &dir,
        "ddl = [{ when = \"after_create\", sql = \"SELECT no_such_function(1)\" }]\n",
    );
    let (code, stderr, _) = run(&["apply", doc.to_str().unwrap(), "--url", &db.url]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("(42883)"), "the SQLSTATE: {stderr}");
    assert!(
        stderr.contains("hint: No function matches the given name and argument types"),
        "{stderr}"
    );
    assert!(engine_support::pg_leftovers(&db).is_empty());
}

/// A port on 127.0.0.1 whose accept queue is full: a new connection is
/// never opened (its SYN is dropped). The returned values keep it so.
fn full_backlog() -> (u16, socket2::Socket, Vec<TcpStream>) {
    use socket2::{Domain, Socket, Type};
    let listener = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    listener
        .bind(
            &"127.0.0.1:0"
                .parse::<std::net::SocketAddr>()
                .unwrap()
                .into(),
        )
        .unwrap();
    listener.listen(1).unwrap();
    let port = listener.local_addr().unwrap().as_socket().unwrap().port();
    let mut held = Vec::new();
    for _ in 0..8 {
        match TcpStream::connect_timeout(
            &std::net::SocketAddr::from(([127, 0, 0, 1], port)),
            Duration::from_millis(300),
        ) {
            Ok(s) => held.push(s),
            Err(_) => return (port, listener, held),
        }
    }
    panic!("the accept queue of a listen(1) socket never filled");
}

#[test]
fn the_library_says_which_wait_ran_out() {
    let short = RunOptions {
        connect_timeout: Duration::from_millis(700),
        statement_timeout: Duration::from_millis(1500),
        lock_timeout: Some(Duration::from_millis(300)),
        ..RunOptions::default()
    };
    let (port, _listener, _held) = full_backlog();
    let silent_port = fake_server(silent);
    for scheme in ["postgres", "mysql"] {
        for (port, wait) in [(port, Wait::Connect), (silent_port, Wait::Login)] {
            let engine = Engine::from_url(&fake_url(scheme, port)).unwrap();
            let started = Instant::now();
            let err = engine.create_all(&mut two_tables(), &short).unwrap_err();
            assert!(
                started.elapsed() < Duration::from_secs(3),
                "{scheme} {wait}: {:?}",
                started.elapsed()
            );
            assert!(
                matches!(&err, EngineError::Timeout { wait: w, doing: None, .. } if *w == wait),
                "{scheme} {wait}: {err:?}"
            );
            assert_eq!(err.timed_out(), Some(wait));
            let text = err.to_string();
            assert!(
                text.contains("within 700ms") && text.contains("--connect-timeout"),
                "{text}"
            );
            // The user's own connections are bounded as well.
            let err = engine.connect_with(&short).unwrap_err();
            assert_eq!(err.timed_out(), Some(wait), "{scheme}: {err:?}");
        }
    }
    let engine =
        Engine::from_url(&fake_url("postgres", fake_server(pg_login_then_silent))).unwrap();
    let err = engine.drop_all(&mut two_tables(), &short).unwrap_err();
    match &err {
        EngineError::Timeout {
            wait: Wait::Query,
            doing: Some(doing),
            waited,
            ..
        } => {
            assert_eq!(doing, "BEGIN");
            // The lock timeout, rounded up to a second, then the statement timeout.
            assert_eq!(*waited, Duration::from_millis(2500));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn no_duration_makes_the_library_panic() {
    let extremes = [
        Duration::ZERO,
        Duration::from_nanos(1),
        Duration::from_millis(1),
        Duration::from_millis(999),
        Duration::from_secs(1),
        Duration::from_millis(i32::MAX as u64),
        Duration::from_millis(i32::MAX as u64 + 1),
        Duration::from_secs(31_536_000),
        Duration::from_secs(31_536_001),
        Duration::from_secs(u64::from(u32::MAX)),
        Duration::MAX,
    ];
    for kind in [
        DialectKind::PostgreSql,
        DialectKind::MySql,
        DialectKind::MariaDb,
        DialectKind::Sqlite,
    ] {
        for lock in extremes.iter().copied().map(Some).chain([None]) {
            for connect in extremes {
                for statement in extremes {
                    let o = RunOptions {
                        lock_timeout: lock,
                        connect_timeout: connect,
                        statement_timeout: statement,
                        ..RunOptions::default()
                    };
                    match o.validate(kind) {
                        Ok(()) | Err(EngineError::InvalidOption { .. }) => {}
                        Err(e) => panic!("{kind:?} {o:?}: {e:?}"),
                    }
                }
            }
        }
    }
    // SQLite runs with each lock timeout: it works or is refused, never panics.
    for lock in extremes {
        let engine = Engine::from_url("sqlite::memory:").unwrap();
        let o = RunOptions {
            lock_timeout: Some(lock),
            ..RunOptions::default()
        };
        match engine.create_all(&mut two_tables(), &o) {
            Ok(_) => assert!(lock <= Duration::from_millis(i32::MAX as u64), "{lock:?}"),
            Err(EngineError::InvalidOption { option, .. }) => {
                assert_eq!(option, "lock timeout");
                assert!(lock > Duration::from_millis(i32::MAX as u64), "{lock:?}");
            }
            Err(e) => panic!("{lock:?}: {e}"),
        }
    }
}
