//! `autodidact account`: the takeout of the demo learner from SQLite into PostgreSQL and back,
//! hostile takeout files refused whole, and deleting an account.

use std::path::Path;

use autodidact_core::accounts::Handle;
use autodidact_core::store::{AccountStore, CurriculumStore, FollowStore};
use autodidact_store::Db;
use autodidact_store::testing::{self, PostgresGuard};
use serde_json::Value;

use crate::{autodidact, stderr, stdout};

fn sqlite(dir: &Path, name: &str) -> String {
    format!("sqlite://{}", dir.join(name).display())
}

/// A database for the import: a fresh PostgreSQL one when a server is given (in CI, always),
/// else a second SQLite file.
fn second_database(dir: &Path) -> (String, Option<PostgresGuard>) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    match runtime.block_on(testing::postgres_database()) {
        Some((admin_url, database)) => (
            testing::with_database(&admin_url, &database),
            Some(PostgresGuard {
                admin_url,
                database,
            }),
        ),
        None => (sqlite(dir, "second.db"), None),
    }
}

fn run(dir: &Path, args: &[&str]) -> String {
    let out = autodidact(dir, args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    stdout(&out)
}

/// The keys at which two documents differ, to say so when a comparison fails.
fn differences(a: &Value, b: &Value) -> Vec<String> {
    a.as_object()
        .unwrap()
        .iter()
        .filter(|(k, v)| b.get(k.as_str()) != Some(v))
        .map(|(k, _)| k.clone())
        .collect()
}

/// The document with what an import cannot keep set aside: the ids (replaced by their order
/// of first appearance), the time of the export, the account's own name and creation, and the
/// tokens (never imported).
fn comparable(path: &Path) -> Value {
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let map = doc.as_object_mut().unwrap();
    for key in ["exported_at", "tokens"] {
        map.remove(key);
    }
    let account = map["account"].as_object_mut().unwrap();
    for key in ["handle", "email", "created_at"] {
        account.remove(key);
    }
    let mut ids = std::collections::HashMap::<String, String>::new();
    let mut renumber = |v: &mut Value| {
        if let Some(id) = v.as_str().map(str::to_owned) {
            let next = format!("#{}", ids.len());
            *v = Value::String(ids.entry(id).or_insert(next).clone());
        }
    };
    for c in map["curricula"].as_array_mut().unwrap() {
        renumber(&mut c["id"]);
    }
    for f in map["follows"].as_array_mut().unwrap() {
        renumber(&mut f["id"]);
        renumber(&mut f["curriculum"]);
    }
    for l in map["logs"].as_array_mut().unwrap() {
        renumber(&mut l["id"]);
        renumber(&mut l["follow"]);
    }
    doc
}

#[test]
fn the_demo_learner_goes_from_sqlite_to_postgresql_and_back_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let first = sqlite(dir.path(), "first.db");
    run(
        dir.path(),
        &["demo", "--database-url", &first, "--today", "2026-09-07"],
    );
    let exported = dir.path().join("first.json");
    run(
        dir.path(),
        &[
            "account",
            "export",
            "--user",
            "demo",
            "-o",
            exported.to_str().unwrap(),
            "--database-url",
            &first,
        ],
    );

    let (second, _guard) = second_database(dir.path());
    let said = run(
        dir.path(),
        &[
            "account",
            "import",
            exported.to_str().unwrap(),
            "--user",
            "ada",
            "--database-url",
            &second,
        ],
    );
    assert!(
        said.contains("2 curricula, 2 plans, 5000 logs, 4 commitments, 3 items to revisit"),
        "{said}"
    );
    let again = dir.path().join("second.json");
    run(
        dir.path(),
        &[
            "account",
            "export",
            "--user",
            "ada",
            "-o",
            again.to_str().unwrap(),
            "--database-url",
            &second,
        ],
    );

    let (before, after) = (comparable(&exported), comparable(&again));
    assert!(before["logs"].as_array().unwrap().len() == 5000);
    assert!(
        before == after,
        "the documents differ at {:?}",
        differences(&before, &after)
    );

    // And back into SQLite from the second database's export.
    let third = sqlite(dir.path(), "third.db");
    run(
        dir.path(),
        &[
            "account",
            "import",
            again.to_str().unwrap(),
            "--user",
            "grace",
            "--database-url",
            &third,
        ],
    );
    let back = dir.path().join("third.json");
    run(
        dir.path(),
        &[
            "account",
            "export",
            "--user",
            "grace",
            "-o",
            back.to_str().unwrap(),
            "--database-url",
            &third,
        ],
    );
    let back = comparable(&back);
    assert!(
        back == before,
        "the way back differs at {:?}",
        differences(&before, &back)
    );
}

/// Runs an import of `contents` into @ada of a fresh database and returns its error message;
/// asserts that nothing was written: no account was made.
fn refused(contents: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("takeout.json");
    std::fs::write(&file, contents).unwrap();
    let url = sqlite(dir.path(), "db.db");
    let out = autodidact(
        dir.path(),
        &[
            "account",
            "import",
            file.to_str().unwrap(),
            "--user",
            "ada",
            "--database-url",
            &url,
        ],
    );
    assert!(!out.status.success(), "accepted: {}", stdout(&out));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        if let Ok(db) = Db::connect(&url).await {
            db.migrate().await.unwrap();
            let ada = db
                .user_by_handle(&Handle::parse("ada").unwrap())
                .await
                .unwrap();
            assert!(ada.is_none(), "an account was made for a refused file");
        }
    });
    stderr(&out)
}

fn demo_takeout() -> Value {
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite(dir.path(), "demo.db");
    run(
        dir.path(),
        &[
            "demo",
            "--database-url",
            &url,
            "--today",
            "2026-09-07",
            "--logs",
            "200",
        ],
    );
    let file = dir.path().join("demo.json");
    run(
        dir.path(),
        &[
            "account",
            "export",
            "--user",
            "demo",
            "-o",
            file.to_str().unwrap(),
            "--database-url",
            &url,
        ],
    );
    serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap()
}

#[test]
fn hostile_takeout_files_are_refused_whole_with_what_is_wrong() {
    let good = demo_takeout();
    let text = serde_json::to_string(&good).unwrap();

    let cut = refused(&text.as_bytes()[..text.len() / 2]);
    assert!(
        cut.contains("the file ends early") && cut.contains("cut short"),
        "{cut}"
    );

    let mut newer = good.clone();
    newer["version"] = Value::from(2);
    let said = refused(newer.to_string().as_bytes());
    assert!(
        said.contains("the takeout is version 2, and this server reads version 1"),
        "{said}"
    );

    let said = refused(br#"{"format": "something-else", "version": 1}"#);
    assert!(said.contains("not an Autodidact takeout"), "{said}");

    let said = refused(b"<html>not json</html>");
    assert!(
        said.contains("the file is not a takeout: at line 1, column 1"),
        "{said}"
    );

    // A follow naming a curriculum the file does not hold: someone else's id.
    let mut foreign = good.clone();
    foreign["follows"][0]["curriculum"] = Value::from("1234567");
    let said = refused(foreign.to_string().as_bytes());
    assert!(
        said.contains("follows[0].curriculum: no curriculum 1234567 in this takeout"),
        "{said}"
    );

    // Budget changes out of order, or one that does not read.
    let mut history = good.clone();
    history["follows"][0]["budget_history"] = serde_json::json!([
        { "from": "2026-03-02", "budget": "5" },
        { "from": "2026-01-05", "budget": "10" },
    ]);
    let said = refused(history.to_string().as_bytes());
    assert!(
        said.contains("follows[0].budget_history[1].from: budget changes must be in order"),
        "{said}"
    );
    history["follows"][0]["budget_history"] =
        serde_json::json!([{ "from": "2026-01-05", "budget": "lots" }]);
    let said = refused(history.to_string().as_bytes());
    assert!(
        said.contains("follows[0].budget_history[0].budget: `lots` is not a number of hours"),
        "{said}"
    );

    // An import report of an unknown format, or with progress that is not done or doing.
    let mut report = good.clone();
    report["curricula"][0]["import_report"] = serde_json::json!({
        "format": "excel", "notes": [], "progress": [], "created_at": "2026-01-05T10:00:00Z"
    });
    let said = refused(report.to_string().as_bytes());
    assert!(
        said.contains("curricula[0].import_report.format: `excel` is not one of toml, trello, markdown, roadmapsh"),
        "{said}"
    );
    report["curricula"][0]["import_report"] = serde_json::json!({
        "format": "trello", "notes": ["one"],
        "progress": [{ "item": "intro", "status": "skipped" }],
        "created_at": "2026-01-05T10:00:00Z"
    });
    let said = refused(report.to_string().as_bytes());
    assert!(
        said.contains(
            "curricula[0].import_report.progress[0].status: `skipped` is not done or doing"
        ),
        "{said}"
    );

    let mut foreign_log = good.clone();
    foreign_log["logs"][3]["follow"] = Value::from("7654321");
    let said = refused(foreign_log.to_string().as_bytes());
    assert!(
        said.contains("logs[3].follow: no follow 7654321 in this takeout"),
        "{said}"
    );

    // A value that cannot be stored, deep inside: the whole file is refused.
    let mut broken = good.clone();
    broken["logs"][150]["minutes"] = Value::from(5000);
    let said = refused(broken.to_string().as_bytes());
    assert!(
        said.contains("logs[150].minutes: a log holds 1 to 1440 minutes, not 5000"),
        "{said}"
    );

    let mut bad_source = good.clone();
    bad_source["curricula"][1]["source"] = Value::from("title = \"x\"\n[[phases]]\nitems = 3\n");
    let said = refused(bad_source.to_string().as_bytes());
    assert!(
        said.contains("curricula[1].source: the curriculum file has errors"),
        "{said}"
    );

    // Too big is refused before it is parsed.
    let mut big = text.clone().into_bytes();
    big.resize(64 * 1024 * 1024 + 1, b' ');
    let said = refused(&big);
    assert!(
        said.contains("more than the 64.0 MB limit: is it the right file?"),
        "{said}"
    );
}

#[test]
fn a_takeout_goes_only_into_an_empty_account() {
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite(dir.path(), "db.db");
    run(
        dir.path(),
        &[
            "demo",
            "--database-url",
            &url,
            "--today",
            "2026-09-07",
            "--logs",
            "200",
        ],
    );
    let file = dir.path().join("demo.json");
    run(
        dir.path(),
        &[
            "account",
            "export",
            "--user",
            "demo",
            "-o",
            file.to_str().unwrap(),
            "--database-url",
            &url,
        ],
    );
    let out = autodidact(
        dir.path(),
        &[
            "account",
            "import",
            file.to_str().unwrap(),
            "--user",
            "demo",
            "--database-url",
            &url,
        ],
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("import a takeout into a new, empty account"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn deleting_an_account_removes_everything_it_owned_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite(dir.path(), "db.db");
    run(
        dir.path(),
        &[
            "demo",
            "--database-url",
            &url,
            "--today",
            "2026-09-07",
            "--logs",
            "200",
        ],
    );
    run(
        dir.path(),
        &[
            "demo",
            "--database-url",
            &url,
            "--today",
            "2026-09-07",
            "--logs",
            "200",
            "--handle",
            "other",
        ],
    );
    let said = run(
        dir.path(),
        &[
            "account",
            "delete",
            "--user",
            "demo",
            "--database-url",
            &url,
        ],
    );
    assert!(said.contains("Deleted @demo"), "{said}");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let db = Db::connect(&url).await.unwrap();
        assert!(
            db.user_by_handle(&Handle::parse("demo").unwrap())
                .await
                .unwrap()
                .is_none()
        );
        let other = db
            .user_by_handle(&Handle::parse("other").unwrap())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(db.follows_of(other.id).await.unwrap().len(), 2);
        assert_eq!(db.curricula_of(other.id).await.unwrap().len(), 2);
    });
    let out = autodidact(
        dir.path(),
        &[
            "account",
            "export",
            "--user",
            "demo",
            "-o",
            "x.json",
            "--database-url",
            &url,
        ],
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("there is no learner @demo"),
        "{}",
        stderr(&out)
    );
}

/// Hashes on the test's thread.
struct Hasher;

#[async_trait::async_trait]
impl autodidact_core::accounts::PasswordHasher for Hasher {
    async fn hash(
        &self,
        password: autodidact_core::accounts::Password,
    ) -> Result<String, autodidact_core::secrets::HashError> {
        autodidact_core::secrets::hash_password(&password, &[9; 16])
    }

    async fn verify(
        &self,
        password: autodidact_core::accounts::Password,
        stored: Option<String>,
    ) -> Result<bool, autodidact_core::secrets::HashError> {
        Ok(autodidact_core::secrets::verify_password(
            &password,
            stored.as_deref(),
        ))
    }
}

#[test]
fn the_operator_prints_a_one_time_link_that_sets_a_new_password() {
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite(dir.path(), "db.db");
    run(
        dir.path(),
        &[
            "demo",
            "--database-url",
            &url,
            "--today",
            "2026-09-07",
            "--logs",
            "200",
        ],
    );
    let printed = run(
        dir.path(),
        &[
            "account",
            "reset-password",
            "--user",
            "demo",
            "--database-url",
            &url,
            "--base-url",
            "https://learn.example.org",
        ],
    );
    let link = printed.trim();
    let token = link
        .strip_prefix("https://learn.example.org/password/reset/")
        .unwrap_or_else(|| panic!("{link}"));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let db = Db::connect(&url).await.unwrap();
        let now = jiff::Timestamp::now();
        let user = autodidact_core::accounts::finish_password_reset(
            &db,
            &Hasher,
            token,
            "a new passphrase here",
            now,
        )
        .await
        .unwrap();
        assert_eq!(user.handle.as_str(), "demo");
        let (_, hash) = db.credentials("demo").await.unwrap().unwrap();
        let new = autodidact_core::accounts::Password::for_sign_in("a new passphrase here");
        assert!(autodidact_core::secrets::verify_password(&new, Some(&hash)));
        // Once only.
        let again = autodidact_core::accounts::finish_password_reset(
            &db,
            &Hasher,
            token,
            "another passphrase",
            now,
        )
        .await;
        assert!(matches!(
            again,
            Err(autodidact_core::accounts::AccountError::LinkNotValid)
        ));
    });
}
