use std::fs;

use crate::{autodidact, stderr, stdout};

const BROKEN: &str = r#"title = "Broken"
[[phases]]
title = "P"
[[phases.items]]
id = "python"
kind = "lecture"
title = "Python"
hours = 0
[[phases.items]]
id = "project"
kind = "project"
title = "Project"
hours = 10
requires = ["pyhton", "project"]
"#;

#[test]
fn check_reports_every_problem_with_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("broken.toml"), BROKEN).unwrap();
    let out = autodidact(dir.path(), &["check", "broken.toml"]);
    assert!(!out.status.success());
    let text = stdout(&out);
    assert!(
        text.contains("broken.toml:6:8: error: `lecture` is not a kind"),
        "{text}"
    );
    assert!(
        text.contains("broken.toml:8:9: error: hours must be more than zero"),
        "{text}"
    );
    assert!(
        text.contains(
            "broken.toml:14:13: error: no item has the id `pyhton`: did you mean `python`?"
        ),
        "{text}"
    );
    assert!(text.contains("project → project"), "{text}");
    assert!(stderr(&out).contains("4 errors"), "{}", stderr(&out));
}

#[test]
fn templates_list_and_copy_out() {
    let dir = tempfile::tempdir().unwrap();
    let out = autodidact(dir.path(), &["templates", "--format", "json"]);
    assert!(out.status.success());
    let list: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"deep-learning-in-six-months"), "{ids:?}");
    assert_eq!(ids.len(), 5);

    let out = autodidact(
        dir.path(),
        &["new", "--from", "deep-learning-in-six-months", "mine.toml"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = autodidact(dir.path(), &["check", "mine.toml"]);
    assert!(out.status.success());
    assert!(
        stdout(&out).contains("mine.toml: ok: 22 items in 2 phases"),
        "{}",
        stdout(&out)
    );

    fs::write(dir.path().join("mine.toml"), "my edits").unwrap();
    let again = autodidact(
        dir.path(),
        &["new", "--from", "ml-beginner-path", "mine.toml"],
    );
    assert!(!again.status.success());
    assert!(stderr(&again).contains("already exists: pass --force"));
    assert_eq!(
        fs::read_to_string(dir.path().join("mine.toml")).unwrap(),
        "my edits"
    );
}

#[test]
fn every_shipped_plan_totals_its_estimate_in_json() {
    let dir = tempfile::tempdir().unwrap();
    let list = stdout(&autodidact(dir.path(), &["templates", "--format", "json"]));
    let list: serde_json::Value = serde_json::from_str(&list).unwrap();
    for template in list.as_array().unwrap() {
        let id = template["id"].as_str().unwrap();
        let out = autodidact(
            dir.path(),
            &["plan", id, "--start", "2026-12-07", "--format", "json"],
        );
        assert!(out.status.success(), "{id}: {}", stderr(&out));
        let plan: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        let total = plan["total_hours"].as_f64().unwrap();
        assert!(
            (total - template["hours"].as_f64().unwrap()).abs() < 1e-9,
            "{id}"
        );
        let in_weeks: f64 = plan["weeks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["planned_hours"].as_f64().unwrap())
            .sum();
        assert!(
            (in_weeks - total).abs() < 1e-6,
            "{id}: {in_weeks} vs {total}"
        );
    }
}

#[test]
fn plan_prints_weeks_items_hours_and_phase_ends() {
    let dir = tempfile::tempdir().unwrap();
    let out = autodidact(
        dir.path(),
        &[
            "plan",
            "deep-learning-in-six-months",
            "--hours",
            "20",
            "--start",
            "2026-12-07",
            "--break",
            "2026-12-21..2027-01-03",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("20 h a week, starting Mon 2026-12-07"),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.trim_start().starts_with("3  2026-12-21 – 12-27") && l.contains("break")),
        "{text}"
    );
    assert!(
        text.contains("── Phase 1: build first, theory later ends"),
        "{text}"
    );
    assert!(text.contains("TOTAL  484 h in 22 items"), "{text}");
}

#[test]
fn plan_refuses_impossible_budgets_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let zero = autodidact(
        dir.path(),
        &[
            "plan",
            "ml-advanced-path",
            "--hours",
            "0",
            "--start",
            "2026-12-07",
        ],
    );
    assert!(!zero.status.success());
    assert!(
        stderr(&zero).contains("the weekly budget is zero hours"),
        "{}",
        stderr(&zero)
    );
    let rest = autodidact(
        dir.path(),
        &[
            "plan",
            "ml-advanced-path",
            "--hours",
            "sat=5,sun=5",
            "--break",
            "sat",
            "--break",
            "sun",
            "--start",
            "2026-12-07",
        ],
    );
    assert!(
        stderr(&rest).contains("every day that has study hours is a break day"),
        "{}",
        stderr(&rest)
    );
    let bad = autodidact(
        dir.path(),
        &["plan", "ml-advanced-path", "--start", "07/12/2026"],
    );
    assert!(stderr(&bad).contains("--start: `07/12/2026` is not a date; write it as YYYY-MM-DD"));
    let missing = autodidact(dir.path(), &["plan", "nope.toml"]);
    assert!(stderr(&missing).contains("no file or template named `nope.toml`"));
}

#[test]
fn plan_skips_items_already_done() {
    let dir = tempfile::tempdir().unwrap();
    let out = autodidact(
        dir.path(),
        &[
            "plan",
            "deep-learning-in-six-months",
            "--start",
            "2026-12-07",
            "--done",
            "python-crash-course",
            "--format",
            "json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let plan: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(plan["total_hours"].as_f64().unwrap(), 464.0);
    let unknown = autodidact(
        dir.path(),
        &["plan", "deep-learning-in-six-months", "--done", "pythn"],
    );
    assert!(stderr(&unknown).contains("--done: no item has the id `pythn`"));
}

#[test]
fn plan_writes_an_ics_file_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let out = autodidact(
        dir.path(),
        &[
            "plan",
            "ml-beginner-path",
            "--start",
            "2026-12-07",
            "--format",
            "ics",
            "-o",
            "plan.ics",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let ics = fs::read_to_string(dir.path().join("plan.ics")).unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR"));
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 12 + 4);
    assert!(ics.contains("BEGIN:VALARM"));
}

#[test]
fn export_writes_readable_markdown() {
    let dir = tempfile::tempdir().unwrap();
    let out = autodidact(
        dir.path(),
        &["export", "back-to-basics-data-first", "--to", "markdown"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let md = stdout(&out);
    assert!(md.starts_with("# "), "{md}");
    assert!(md.contains("- [ ]"), "{md}");
}

#[test]
fn a_broken_import_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("board.json"),
        r#"{"lists": [{"id": "a", "name": "Month 1""#,
    )
    .unwrap();
    let out = autodidact(dir.path(), &["import", "board.json", "-o", "out.toml"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("nothing was written"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("out.toml").exists());
}

#[test]
fn a_huge_import_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let file = fs::File::create(dir.path().join("huge.json")).unwrap();
    file.set_len(200 * 1024 * 1024).unwrap();
    let out = autodidact(
        dir.path(),
        &["import", "huge.json", "--from", "trello", "-o", "out.toml"],
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("more than the 32.0 MB limit"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("out.toml").exists());
}

#[test]
fn importing_a_sample_trello_board_writes_a_valid_curriculum() {
    let dir = tempfile::tempdir().unwrap();
    let sample = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../autodidact_core/tests/data/import/trello-board.json"
    );
    let out = autodidact(dir.path(), &["import", sample, "-o", "board.toml"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("as trello"), "{}", stderr(&out));
    let check = autodidact(dir.path(), &["check", "board.toml"]);
    assert!(check.status.success(), "{}", stdout(&check));
}

#[cfg(unix)]
#[test]
fn force_replaces_files_and_link_targets_keeps_modes_and_refuses_the_rest() {
    use std::os::unix::fs::{PermissionsExt, symlink};
    let dir = tempfile::tempdir().unwrap();
    let sample = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../autodidact_core/tests/data/import/trello-board.json"
    );
    let mode = |name: &str| {
        fs::metadata(dir.path().join(name))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    // A new file gets what the umask allows.
    let bin = env!("CARGO_BIN_EXE_autodidact");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "umask 027 && exec '{bin}' import '{sample}' -o new.toml"
        ))
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(mode("new.toml"), 0o640);

    // An existing file is replaced in place of itself and keeps its mode.
    fs::write(dir.path().join("mine.toml"), "old").unwrap();
    fs::set_permissions(
        dir.path().join("mine.toml"),
        fs::Permissions::from_mode(0o604),
    )
    .unwrap();
    let out = autodidact(
        dir.path(),
        &["import", sample, "-o", "mine.toml", "--force"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        fs::read_to_string(dir.path().join("mine.toml"))
            .unwrap()
            .contains("title")
    );
    assert_eq!(mode("mine.toml"), 0o604);

    // A link is followed: its target is replaced and the link stays a link.
    fs::write(dir.path().join("target.toml"), "old").unwrap();
    symlink("target.toml", dir.path().join("link.toml")).unwrap();
    let out = autodidact(
        dir.path(),
        &["import", sample, "-o", "link.toml", "--force"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let link = fs::symlink_metadata(dir.path().join("link.toml")).unwrap();
    assert!(link.file_type().is_symlink());
    assert!(
        fs::read_to_string(dir.path().join("target.toml"))
            .unwrap()
            .contains("title")
    );

    // A directory, or a link to a device, is never replaced by a file.
    fs::create_dir(dir.path().join("folder.toml")).unwrap();
    symlink("/dev/null", dir.path().join("null.toml")).unwrap();
    for name in ["folder.toml", "null.toml"] {
        let out = autodidact(dir.path(), &["import", sample, "-o", name, "--force"]);
        assert!(!out.status.success(), "{name}");
        assert!(
            stderr(&out).contains("not a regular file"),
            "{}",
            stderr(&out)
        );
    }
    assert!(dir.path().join("folder.toml").is_dir());
    assert!(
        fs::symlink_metadata(dir.path().join("null.toml"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn an_import_check_would_refuse_is_not_written() {
    // 15 MB of checklist (under the 32 MB import limit, and under 5,000 items) makes more than
    // the 16 MB a curriculum file may be: each long title is shortened, and kept whole in the
    // item's notes.
    let dir = tempfile::tempdir().unwrap();
    let mut big = String::new();
    let mut n = 0;
    while big.len() < 15 * 1024 * 1024 {
        big.push_str(&format!(
            "- [ ] Item {n} {}\n",
            "with a long and descriptive title ".repeat(130)
        ));
        n += 1;
    }
    fs::write(dir.path().join("big.md"), &big).unwrap();
    let out = autodidact(dir.path(), &["import", "big.md", "-o", "big.toml"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("more than the 16 MB a curriculum file may be"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("big.toml").exists());
}

#[test]
fn every_command_has_help() {
    let dir = tempfile::tempdir().unwrap();
    for command in [
        "check",
        "plan",
        "templates",
        "new",
        "import",
        "export",
        "serve",
        "migrate",
        "log",
        "week",
        "demo",
    ] {
        let out = autodidact(dir.path(), &[command, "--help"]);
        assert!(out.status.success(), "{command}");
        assert!(stdout(&out).contains("Usage: autodidact"), "{command}");
    }
}

#[test]
fn the_config_document_is_current() {
    let dir = tempfile::tempdir().unwrap();
    let out = autodidact(dir.path(), &["config-doc"]);
    assert!(out.status.success());
    let committed =
        fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/CONFIG.md")).unwrap();
    assert_eq!(
        stdout(&out),
        committed,
        "docs/CONFIG.md is out of date: run `cargo run -- config-doc > docs/CONFIG.md`"
    );
}

#[test]
fn every_documented_setting_is_a_serve_flag_with_its_environment_variable() {
    let dir = tempfile::tempdir().unwrap();
    let help = stdout(&autodidact(dir.path(), &["serve", "--help"]));
    let doc =
        fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/CONFIG.md")).unwrap();
    let rows: Vec<&str> = doc.lines().filter(|l| l.starts_with("| `")).collect();
    assert!(rows.len() >= 6, "{doc}");
    for row in rows {
        let cells: Vec<&str> = row.split('|').map(|c| c.trim().trim_matches('`')).collect();
        let (flag, env) = (cells[2], cells[3]);
        assert!(help.contains(flag), "{flag} missing from serve --help");
        assert!(
            help.contains(&format!("env: {env}")),
            "{env} missing from serve --help"
        );
    }
}

#[test]
fn serve_refuses_an_unknown_database_scheme_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = autodidact(
        dir.path(),
        &[
            "serve",
            "--database-url",
            "mysql://localhost/x",
            "--bind",
            "127.0.0.1:0",
        ],
    );
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("sqlite://") && err.contains("postgres://"),
        "{err}"
    );
}

#[test]
fn serve_refuses_an_unreachable_postgres_server() {
    let dir = tempfile::tempdir().unwrap();
    let out = autodidact(
        dir.path(),
        &[
            "migrate",
            "--database-url",
            "postgres://nobody@127.0.0.1:1/none",
        ],
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("cannot open the database at postgres://nobody"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn migrate_creates_a_sqlite_database_and_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("data/a.db").display());
    for _ in 0..2 {
        let out = autodidact(dir.path(), &["migrate", "--database-url", &url]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stderr(&out).contains("is up to date"));
    }
    assert!(dir.path().join("data/a.db").exists());
}
