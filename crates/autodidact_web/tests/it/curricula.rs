//! Curricula in the browser: starting one (template, scratch, upload, copy), its page, the
//! editor with its validation, downloads, and who may see and change what.

use autodidact_core::accounts::{Handle, UserId};
use autodidact_core::curriculum::{
    Curriculum, Effort, EstimateSource, ItemKind, Minutes, Mode, check_toml,
};
use autodidact_core::store::{
    AccountStore, CurriculumId, CurriculumRecord, CurriculumStore, NewCurriculum, Visibility,
};
use axum::body::Body;
use axum::http::{StatusCode, header};
use jiff::Timestamp;

use crate::support::{Client, Resp, TestApp};

const TEMPLATE: &str = "ml-beginner-path";
const TOML_SAMPLE: &str = include_str!("../../../autodidact_core/templates/ml-beginner-path.toml");
const TRELLO: &[u8] =
    include_bytes!("../../../autodidact_core/tests/data/import/trello-board.json");
const TRELLO_STATUS: &[u8] =
    include_bytes!("../../../autodidact_core/tests/data/import/trello-status.json");
const TRELLO_TRUNCATED: &[u8] =
    include_bytes!("../../../autodidact_core/tests/data/import/trello-truncated.json");
const CHECKLIST: &[u8] =
    include_bytes!("../../../autodidact_core/tests/data/import/markdown-checklist.md");
const OSSU: &[u8] = include_bytes!("../../../autodidact_core/tests/data/import/markdown-ossu.md");
const ROADMAP: &[u8] = include_bytes!("../../../autodidact_core/tests/data/import/roadmap.json");
const NOT_A_CURRICULUM: &[u8] =
    include_bytes!("../../../autodidact_core/tests/data/import/not-a-curriculum.txt");

/// Two phases: "Basics" holds `a` and `b` (which requires `a`), "Later" is empty.
const FIXTURE: &str = r#"
title = "Fixture"

[[phases]]
title = "Basics"

[[phases.items]]
id = "a"
kind = "book"
title = "Item A"
hours = 2

[[phases.items]]
id = "b"
kind = "course"
title = "Item B"
hours = [3, 5]
requires = ["a"]

[[phases]]
title = "Later"
"#;

async fn user_id(app: &TestApp, handle: &str) -> UserId {
    let handle = Handle::parse(handle).unwrap();
    app.db.user_by_handle(&handle).await.unwrap().unwrap().id
}

/// Stores the fixture as `owner`'s, straight through the store.
async fn fixture(app: &TestApp, owner: &str, visibility: Visibility) -> i64 {
    let record = app
        .db
        .create_curriculum(NewCurriculum {
            owner: user_id(app, owner).await,
            title: "Fixture".to_owned(),
            visibility,
            source: FIXTURE.to_owned(),
            lineage: Default::default(),
            now: Timestamp::now(),
        })
        .await
        .unwrap();
    record.id.0
}

async fn stored(app: &TestApp, id: i64) -> Option<CurriculumRecord> {
    app.db.curriculum(CurriculumId(id)).await.unwrap()
}

async fn stored_curriculum(app: &TestApp, id: i64) -> Curriculum {
    let record = stored(app, id).await.unwrap();
    let checked = check_toml(&record.source);
    checked
        .curriculum
        .unwrap_or_else(|| panic!("{:?}", checked.diagnostics))
}

async fn curricula_of(app: &TestApp, handle: &str) -> Vec<CurriculumRecord> {
    app.db
        .curricula_of(user_id(app, handle).await)
        .await
        .unwrap()
}

/// The id of the curriculum a 303 leads to.
fn created_id(resp: &Resp) -> i64 {
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    let location = resp.location().unwrap();
    let rest = location.strip_prefix("/curricula/").unwrap();
    rest.split(['#', '/', '?']).next().unwrap().parse().unwrap()
}

fn ids_by_phase(c: &Curriculum) -> Vec<Vec<String>> {
    c.phases
        .iter()
        .map(|p| p.items.iter().map(|i| i.id.to_string()).collect())
        .collect()
}

/// A multipart body as a browser sends the import form.
fn multipart(csrf: &str, format: &str, file_name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    multipart_with(&[("csrf", csrf), ("format", format)], file_name, bytes)
}

/// A multipart body with these fields before the file.
fn multipart_with(fields: &[(&str, &str)], file_name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----autodidact-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Uploads through the import form, with the token of the list page.
async fn upload(client: &mut Client, format: &str, file_name: &str, bytes: &[u8]) -> Resp {
    client.get("/curricula").await;
    let csrf = client.csrf.clone().unwrap();
    upload_with_token(client, &csrf, format, file_name, bytes).await
}

async fn upload_with_token(
    client: &mut Client,
    csrf: &str,
    format: &str,
    file_name: &str,
    bytes: &[u8],
) -> Resp {
    let (content_type, body) = multipart(csrf, format, file_name, bytes);
    let request = client
        .request("POST", "/curricula/import")
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .unwrap();
    client.send(request).await
}

/// Imports a Trello export and follows it from today at 10 h a week: the curriculum's id and
/// the follow's.
async fn import_and_follow(client: &mut Client, board: &[u8]) -> (i64, i64) {
    let id = created_id(&upload(client, "trello", "board.json", board).await);
    let page = format!("/curricula/{id}/follow");
    let start = jiff::Zoned::now().date().to_string();
    let resp = client
        .submit(&page, &page, &[("hours_per_week", "10"), ("start", &start)])
        .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    let follow = resp.location().unwrap().trim_start_matches("/follows/");
    let follow = follow.split(['/', '?']).next().unwrap().parse().unwrap();
    (id, follow)
}

/// Uploads a file onto curriculum `id` through its "update from a file" form.
async fn upload_update(client: &mut Client, id: i64, file_name: &str, bytes: &[u8]) -> Resp {
    let page = format!("/curricula/{id}/update");
    client.get(&page).await;
    let csrf = client.csrf.clone().unwrap();
    let (content_type, body) = multipart(&csrf, "", file_name, bytes);
    let request = client
        .request("POST", &page)
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .unwrap();
    client.send(request).await
}

/// Every field of the item form, as `b` has them in the fixture, with `changes` applied.
fn item_fields<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("id", "b"),
        ("kind", "course"),
        ("title", "Item B"),
        ("url", ""),
        ("hours", "3-5"),
        ("skills", ""),
        ("requires", "a"),
        ("mode", ""),
        ("notes", ""),
        ("phase", "1"),
    ];
    for (name, value) in changes {
        fields.retain(|(n, _)| n != name);
        fields.push((name, value));
    }
    fields
}

// ---------------------------------------------------------------------------------------------
// Starting a curriculum

#[tokio::test]
async fn a_learner_with_no_curriculum_is_offered_the_templates() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let page = ada.get("/curricula").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.text("title"), "Your curricula · Autodidact");
    assert_eq!(
        page.text(".empty h2"),
        "No curriculum yet: start from one of these"
    );
    let buttons = page.texts(".empty .card a.button");
    assert_eq!(buttons.len(), autodidact_core::templates::all().len());
    assert!(buttons.iter().all(|b| b == "Preview"));
}

#[tokio::test]
async fn starting_from_a_template_stores_a_private_copy_and_opens_it() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let resp = ada
        .submit(
            "/curricula",
            "/curricula/from-template",
            &[("template", TEMPLATE)],
        )
        .await;
    let id = created_id(&resp);
    let template = autodidact_core::templates::find(TEMPLATE).unwrap();
    let expected = template.curriculum().unwrap();
    let record = stored(&app, id).await.unwrap();
    assert_eq!(record.visibility, Visibility::Private);
    assert_eq!(record.source, template.source);
    assert_eq!(record.title, expected.title);

    let page = ada.get(&format!("/curricula/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.text("h1"), expected.title);
    assert_eq!(page.text(".tag.visibility"), "Private");
    assert_eq!(page.texts("li.item").len(), expected.items().count());
    assert_eq!(page.texts("section.phase").len(), expected.phases.len());

    let list = ada.get("/curricula").await;
    assert_eq!(list.texts("table.curricula tbody tr").len(), 1);
    assert_eq!(list.text("table.curricula tbody td a"), expected.title);
    assert_eq!(
        list.text("table.curricula tbody td:nth-child(2)"),
        expected.items().count().to_string()
    );
    assert_eq!(list.text("table.curricula tbody .tag"), "Private");
}

#[tokio::test]
async fn a_template_card_opens_a_preview_and_only_its_button_copies() {
    let app = TestApp::new().await;
    let template = autodidact_core::templates::find(TEMPLATE).unwrap();
    let expected = template.curriculum().unwrap();
    let preview = format!("/templates/{TEMPLATE}");

    // A visitor sees the whole curriculum, and is asked to sign up to use it.
    let mut visitor = app.client();
    let page = visitor.get(&preview).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.text("#preview-title"), expected.title);
    assert_eq!(page.texts(".preview-phase").len(), expected.phases.len());
    assert_eq!(
        page.texts(".preview-items li").len(),
        expected.items().count()
    );
    assert!(page.text("#preview-facts").starts_with(&format!(
        "{} items · {}",
        expected.items().count(),
        expected.total_planned()
    )));
    assert_eq!(
        page.attr("#use-template a", "href").as_deref(),
        Some("/signup")
    );
    assert!(page.texts("form#use-template").is_empty());
    assert_eq!(
        visitor.get("/templates/no-such-template").await.status,
        StatusCode::NOT_FOUND
    );

    // A learner's list links each card to its preview; looking copies nothing.
    let mut ada = app.learner("ada").await;
    let list = ada.get("/curricula").await;
    assert!(
        list.attrs(".templates .card a.button", "href")
            .contains(&preview)
    );
    let page = ada.get(&preview).await;
    assert_eq!(page.status, StatusCode::OK);
    let ada_id = app.user("ada").await.id;
    assert!(app.db.curricula_of(ada_id).await.unwrap().is_empty());
    // "Use this template" makes the copy.
    let resp = ada
        .submit(
            &preview,
            "/curricula/from-template",
            &[("template", TEMPLATE)],
        )
        .await;
    let id = created_id(&resp);
    assert_eq!(stored(&app, id).await.unwrap().source, template.source);
}

#[tokio::test]
async fn an_unknown_template_creates_nothing() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let resp = ada
        .submit(
            "/curricula",
            "/curricula/from-template",
            &[("template", "nope")],
        )
        .await;
    assert_eq!(resp.status, StatusCode::NOT_FOUND);
    assert!(curricula_of(&app, "ada").await.is_empty());
}

#[tokio::test]
async fn starting_from_scratch_needs_a_title_and_gives_one_item_to_edit() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let refused = ada
        .submit("/curricula", "/curricula/new", &[("title", "   ")])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.text("#new-title-error").contains("title is empty"),
        "{}",
        refused.text("#new-title-error")
    );
    assert!(curricula_of(&app, "ada").await.is_empty());

    let resp = ada
        .submit(
            "/curricula",
            "/curricula/new",
            &[("title", "My own degree")],
        )
        .await;
    let id = created_id(&resp);
    let c = stored_curriculum(&app, id).await;
    assert_eq!(c.title, "My own degree");
    assert_eq!(c.phases.len(), 1);
    assert_eq!(c.phases[0].title, "Phase 1");
    assert_eq!(c.items().count(), 1);
    let page = ada.get(&format!("/curricula/{id}")).await;
    assert_eq!(page.text("h1"), "My own degree");
    assert_eq!(page.text("section.phase h2"), "1. Phase 1 1 h");
    assert_eq!(page.texts("li.item").len(), 1);
}

#[tokio::test]
async fn uploading_each_format_creates_a_curriculum() {
    let app = TestApp::new().await;
    let cases: [(&str, &str, &[u8], &str); 7] = [
        (
            "",
            "beginner.toml",
            TOML_SAMPLE.as_bytes(),
            "Machine learning: beginner path",
        ),
        (
            "toml",
            "beginner.toml",
            TOML_SAMPLE.as_bytes(),
            "Machine learning: beginner path",
        ),
        ("", "board.json", TRELLO, "Self-taught Backend Engineering"),
        (
            "trello",
            "board.json",
            TRELLO,
            "Self-taught Backend Engineering",
        ),
        ("", "Rust plan.md", CHECKLIST, "Rust plan"),
        ("markdown", "ossu.md", OSSU, ""),
        ("roadmapsh", "roadmap.json", ROADMAP, "Data Engineer"),
    ];
    // A learner each: the same file twice is a duplicate for one learner.
    for (n, (format, name, bytes, title)) in cases.into_iter().enumerate() {
        let handle = format!("learner{n}");
        let mut ada = app.learner(&handle).await;
        let resp = upload(&mut ada, format, name, bytes).await;
        let id = created_id(&resp);
        let c = stored_curriculum(&app, id).await;
        assert!(c.items().count() > 0, "{name} as {format:?}");
        if !title.is_empty() {
            assert_eq!(c.title, title, "{name} as {format:?}");
        }
        let page = ada.get(&format!("/curricula/{id}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.texts("li.item").len(), c.items().count());
        assert_eq!(curricula_of(&app, &handle).await.len(), 1);
    }
}

#[tokio::test]
async fn an_import_shows_its_report_and_every_items_hours_are_set_in_one_submit() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let resp = upload(&mut ada, "trello", "board.json", TRELLO).await;
    let id = created_id(&resp);
    assert_eq!(
        resp.location(),
        Some(format!("/curricula/{id}/hours?imported").as_str())
    );
    let grid = ada.get(resp.location().unwrap()).await;
    assert_eq!(grid.status, StatusCode::OK);
    let report = grid.texts("#import-report li");
    assert!(
        report
            .iter()
            .any(|n| n.contains("no estimate in the source")),
        "{report:?}"
    );
    let c = stored_curriculum(&app, id).await;
    let missing: Vec<_> = c
        .items()
        .filter(|i| i.estimate_source == EstimateSource::Missing)
        .map(|i| i.id.to_string())
        .collect();
    assert_eq!(grid.texts("tr.needs-estimate").len(), missing.len());
    assert_eq!(
        grid.texts(".hours-table tbody input").len(),
        c.items().count()
    );
    // The grid is there any time from the curriculum page, without the report.
    let page = ada.get(&format!("/curricula/{id}")).await;
    assert_eq!(
        page.attr("#hours-link", "href"),
        Some(format!("/curricula/{id}/hours"))
    );
    assert!(
        ada.get(&format!("/curricula/{id}/hours"))
            .await
            .texts("#import-report")
            .is_empty()
    );

    // One bad value: nothing is saved, and the row says why.
    let hours = format!("/curricula/{id}/hours");
    let mut fields: Vec<(String, String)> = missing
        .iter()
        .enumerate()
        .map(|(n, item)| (format!("h-{item}"), format!("{}", n + 2)))
        .collect();
    fields[0].1 = "lots".to_owned();
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let bad = ada.submit(&hours, &hours, &borrowed).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.text("#hours-problem")
            .starts_with("Nothing is saved: 1 estimate to fix")
    );
    assert!(
        bad.text(&format!("#h-{}-error", missing[0]))
            .contains("not a number of hours")
    );
    assert_eq!(stored_curriculum(&app, id).await, c);

    // Every estimate in one submit.
    fields[0].1 = "1.5".to_owned();
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let saved = ada.submit(&hours, &hours, &borrowed).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let after = stored_curriculum(&app, id).await;
    for (n, item) in missing.iter().enumerate() {
        let i = after.items().find(|i| i.id.as_str() == item).unwrap();
        assert_eq!(i.estimate_source, EstimateSource::Stated, "{item}");
        let want = if n == 0 {
            Minutes::new(90)
        } else {
            Minutes::from_hours(n as u32 + 2)
        };
        assert_eq!(i.effort, Effort::Hours(want), "{item}");
    }
    let shown = ada.get(saved.location().unwrap()).await;
    assert_eq!(
        shown.text("#hours-notice"),
        format!("{} estimates are saved.", missing.len())
    );
    assert!(shown.texts("tr.needs-estimate").is_empty());
}

#[tokio::test]
async fn following_an_imported_board_starts_with_the_progress_it_recorded() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let (_, follow) = import_and_follow(&mut ada, TRELLO_STATUS).await;
    let board = ada.get(&format!("/follows/{follow}/board")).await;
    let column = |status: &str| {
        let mut ids = board.attrs(&format!("#column-{status} .board-card"), "data-item");
        ids.sort();
        ids
    };
    assert_eq!(
        column("done"),
        [
            "calculus-review",
            "git-basics",
            "kaggle-titanic",
            "python-crash-course-book"
        ]
    );
    assert_eq!(
        column("doing"),
        ["fast-ai-practical-deep-learning", "probability-refresher"]
    );
    assert_eq!(column("todo").len(), 2);
    // Work done before importing is not "ahead" of the plan accepted on the day of following.
    let plan = ada.get(&format!("/follows/{follow}")).await;
    assert!(
        plan.texts("#plan-standing").is_empty(),
        "{}",
        plan.text("#plan-standing")
    );
}

#[tokio::test]
async fn updating_from_a_file_shows_the_diff_then_keeps_logs_notes_and_board_states() {
    use autodidact_core::curriculum::ItemId;
    use autodidact_core::store::{FollowId, FollowStore, LogStore};
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let (id, follow) = import_and_follow(&mut ada, TRELLO_STATUS).await;
    let start = jiff::Zoned::now().date().to_string();
    // Work on it: time on an item in progress, notes on another.
    let item = format!("/follows/{follow}/items/fast-ai-practical-deep-learning");
    let logged = ada
        .submit(
            &item,
            "/logs",
            &[
                ("duration", "45m"),
                ("item", &format!("{follow}:fast-ai-practical-deep-learning")),
                ("kind", "learn"),
                ("date", &start),
            ],
        )
        .await;
    assert_eq!(logged.status, StatusCode::SEE_OTHER, "{}", logged.body);
    let notes_item = format!("/follows/{follow}/items/calculus-review");
    let saved = ada
        .submit(
            &notes_item,
            &format!("{notes_item}/notes"),
            &[("notes", "limits, then series")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let states_before = app.db.item_states(FollowId(follow)).await.unwrap();
    let logs_before = app
        .db
        .recent_logs(app.user("ada").await.id, 10)
        .await
        .unwrap();

    // An edited file: one estimate changed, one item added, one removed.
    let record = stored(&app, id).await.unwrap();
    let edited = record
        .source
        .replace("hours = 30", "hours = 36")
        .replace(
            "[[phases.items]]\nid = \"kaggle-titanic\"",
            "[[phases.items]]\nid = \"transformers-from-scratch\"\nkind = \"project\"\ntitle = \"Transformers from scratch\"\nhours = 20\n\n[[phases.items]]\nid = \"kaggle-titanic\"",
        );
    let old = stored_curriculum(&app, id).await;
    let mut new = check_toml(&edited).curriculum.unwrap();
    let gone = ItemId::parse("linear-algebra-3blue1brown").unwrap();
    for phase in &mut new.phases {
        phase.items.retain(|i| i.id != gone);
    }
    let edited = autodidact_core::curriculum::write_toml(&new);
    assert_ne!(old, new);

    let preview = upload_update(&mut ada, id, "edited.toml", edited.as_bytes()).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert_eq!(
        preview.texts("#update-added li"),
        ["Transformers from scratch 20 h"]
    );
    assert_eq!(
        preview.texts("#update-removed li"),
        ["Linear algebra (3Blue1Brown) 1 h"]
    );
    assert_eq!(
        preview.texts("#update-changed li"),
        ["fast.ai Practical Deep Learning: hours 30 h → 36 h"]
    );
    assert!(
        preview.text("#update-hours").contains("(+25 h)"),
        "{}",
        preview.text("#update-hours")
    );
    // Nothing is stored until the yes.
    assert_eq!(stored_curriculum(&app, id).await, old);
    let base = preview
        .attr("#update-apply input[name=base]", "value")
        .unwrap();
    // The new version rides in the form as it is, line breaks and all.
    let selector = scraper::Selector::parse("#update-apply textarea[name=source]").unwrap();
    let source: String = preview
        .html()
        .select(&selector)
        .next()
        .unwrap()
        .text()
        .collect();
    let apply = format!("/curricula/{id}/update/apply");
    let applied = ada
        .post(&apply, &[("base", &base), ("source", &source)])
        .await;
    assert_eq!(applied.status, StatusCode::SEE_OTHER, "{}", applied.body);
    assert_eq!(stored_curriculum(&app, id).await, new);
    let shown = ada.get(applied.location().unwrap()).await;
    assert!(
        shown
            .text("#curriculum-notice")
            .starts_with("Updated from your file")
    );

    // Board states, notes and logs are as they were; the plan has the new item.
    assert_eq!(
        app.db.item_states(FollowId(follow)).await.unwrap(),
        states_before
    );
    assert_eq!(
        app.db
            .recent_logs(app.user("ada").await.id, 10)
            .await
            .unwrap(),
        logs_before
    );
    let notes = ada.get(&notes_item).await;
    assert!(notes.body.contains("limits, then series"));
    let plan = ada.get(&format!("/follows/{follow}")).await;
    assert!(plan.texts("#row-transformers-from-scratch").len() == 1);

    // The same comparison again is stale; the same file again changes nothing.
    let again = ada
        .post(&apply, &[("base", &base), ("source", &source)])
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(
        again
            .text("#update-problem")
            .contains("changed since this comparison")
    );
    let same = upload_update(&mut ada, id, "edited.toml", edited.as_bytes()).await;
    assert_eq!(same.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(same.text("#update-problem").contains("changes nothing"));

    // Uploading the board again as a new import warns instead of making a copy…
    let twice = upload(&mut ada, "trello", "board.json", TRELLO_STATUS).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert_eq!(
        twice.attrs("#import-duplicate a", "href"),
        [
            format!("/curricula/{id}"),
            format!("/curricula/{id}/update")
        ]
    );
    assert_eq!(curricula_of(&app, "ada").await.len(), 1);
    // …unless the learner says so.
    let csrf = ada.csrf.clone().unwrap();
    let (content_type, body) = multipart_with(
        &[("csrf", &csrf), ("format", ""), ("again", "1")],
        "board.json",
        TRELLO_STATUS,
    );
    let request = ada
        .request("POST", "/curricula/import")
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .unwrap();
    let copy = ada.send(request).await;
    assert_eq!(copy.status, StatusCode::SEE_OTHER, "{}", copy.body);
    assert_eq!(curricula_of(&app, "ada").await.len(), 2);
}

#[tokio::test]
async fn a_malformed_upload_shows_the_importers_message_and_stores_nothing() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let cases: [(&str, &str, &[u8], &str); 4] = [
        (
            "",
            "diary.txt",
            NOT_A_CURRICULUM,
            "Could not tell the format",
        ),
        ("", "board.json", TRELLO_TRUNCATED, "truncated"),
        ("trello", "notes.md", CHECKLIST, "not a Trello board export"),
        ("", "empty.md", b"", "Could not tell the format"),
    ];
    for (format, name, bytes, message) in cases {
        let resp = upload(&mut ada, format, name, bytes).await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        let error = resp.text("#import-file-error");
        assert!(error.contains(message), "{name}: {error}");
        assert!(
            resp.body.contains("<option value=\"trello\" selected>") == (format == "trello"),
            "the chosen format stays chosen"
        );
    }
    let bad_format = upload(&mut ada, "excel", "plan.toml", TOML_SAMPLE.as_bytes()).await;
    assert_eq!(bad_format.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad_format
            .text("#import-format-error")
            .contains("not an import format")
    );
    assert!(curricula_of(&app, "ada").await.is_empty());
}

#[tokio::test]
async fn an_upload_over_the_limit_is_refused_with_a_clear_message_and_nothing_stored() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let page = ada.get("/curricula").await;
    assert!(page.text("#import-file-help").contains("up to 3.9 MB"));
    // Just over the upload limit, but inside the request limit: the page says why.
    let limit = 4 * 1024 * 1024 - 64 * 1024;
    let big = vec![b'#'; limit + 1];
    let resp = upload(&mut ada, "", "big.md", &big).await;
    assert_eq!(resp.status, StatusCode::PAYLOAD_TOO_LARGE);
    let error = resp.text("#import-file-error");
    assert_eq!(
        error,
        "The file is larger than the 3.9 MB limit for uploads: export a smaller part, or split the file."
    );
    // Over the whole request limit, sent without its length: cut off, with the reason.
    let huge = vec![b'#'; 5 * 1024 * 1024];
    let csrf = ada.csrf.clone().unwrap();
    let (content_type, body) = multipart(&csrf, "", "huge.md", &huge);
    let request = ada
        .request("POST", "/curricula/import")
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .unwrap();
    let resp = ada.send(request).await;
    assert_eq!(resp.status, StatusCode::BAD_REQUEST);
    assert!(resp.text("main p").contains("larger than the 3.9 MB limit"));
    // With its length announced, as browsers send it: refused before any handler runs.
    let csrf = ada.csrf.clone().unwrap();
    let (content_type, body) = multipart(&csrf, "", "huge.md", &huge);
    let request = ada
        .request("POST", "/curricula/import")
        .header(header::CONTENT_TYPE, content_type)
        .header(header::CONTENT_LENGTH, body.len())
        .body(Body::from(body))
        .unwrap();
    assert_eq!(
        ada.send(request).await.status,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    assert!(curricula_of(&app, "ada").await.is_empty());
}

#[tokio::test]
async fn an_upload_with_a_wrong_token_is_refused() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    ada.get("/curricula").await;
    let resp = upload_with_token(&mut ada, "forged", "", "plan.toml", TOML_SAMPLE.as_bytes()).await;
    assert_eq!(resp.status, StatusCode::FORBIDDEN);
    assert!(curricula_of(&app, "ada").await.is_empty());
}

#[tokio::test]
async fn visitors_who_are_not_signed_in_cannot_start_a_curriculum() {
    let app = TestApp::new().await;
    let mut visitor = app.client();
    let list = visitor.get("/curricula").await;
    assert_eq!(list.status, StatusCode::SEE_OTHER);
    assert_eq!(list.location(), Some("/signin?next=/curricula"));
    visitor.get("/signin").await;
    for (path, fields) in [
        ("/curricula/new", vec![("title", "Mine")]),
        ("/curricula/from-template", vec![("template", TEMPLATE)]),
    ] {
        let resp = visitor.post(path, &fields).await;
        assert_eq!(resp.status, StatusCode::SEE_OTHER, "{path}");
        assert!(resp.location().unwrap().starts_with("/signin"), "{path}");
    }
    let resp = upload(&mut visitor, "", "plan.toml", TOML_SAMPLE.as_bytes()).await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn forking_ones_own_curriculum_stores_a_private_copy_of_it() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let id = fixture(&app, "ada", Visibility::Public).await;
    let page = format!("/curricula/{id}");
    let resp = ada.submit(&page, &format!("{page}/fork"), &[]).await;
    let copy = created_id(&resp);
    assert_ne!(copy, id);
    let record = stored(&app, copy).await.unwrap();
    assert_eq!(record.title, "Copy of Fixture");
    assert_eq!(record.visibility, Visibility::Private);
    let mut original = stored_curriculum(&app, id).await;
    original.title = "Copy of Fixture".to_owned();
    assert_eq!(stored_curriculum(&app, copy).await, original);
    assert_eq!(stored(&app, id).await.unwrap().title, "Fixture");
}

// ---------------------------------------------------------------------------------------------
// The curriculum's page and downloads

#[tokio::test]
async fn the_page_shows_every_part_of_an_item() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let id = ada
        .submit(
            "/curricula",
            "/curricula/from-template",
            &[("template", TEMPLATE)],
        )
        .await;
    let id = created_id(&id);
    let page = ada.get(&format!("/curricula/{id}")).await;
    let item = "#item-python-data-stack";
    assert_eq!(
        page.text(&format!("{item} h3")),
        "NumPy, pandas, matplotlib and scikit-learn"
    );
    assert_eq!(page.text(&format!("{item} .kind")), "practice");
    assert_eq!(page.text(&format!("{item} .mode")), "making");
    assert_eq!(page.text(&format!("{item} .effort")), "40–60 h");
    assert_eq!(page.text(&format!("{item} .guess")), "(guess)");
    assert!(
        page.texts(&format!("{item} .skill"))
            .contains(&"pandas".to_owned())
    );
    let html = page.html();
    let link = scraper::Selector::parse(&format!("{item} .requires a")).unwrap();
    let link = html.select(&link).next().unwrap();
    assert_eq!(link.value().attr("href"), Some("#item-python-language"));
    assert!(
        page.text(&format!("{item} .notes"))
            .contains("Python Like You Mean It")
    );
    let url = scraper::Selector::parse("#item-elements-of-ai h3 a").unwrap();
    assert_eq!(
        html.select(&url).next().unwrap().value().attr("href"),
        Some("https://www.elementsofai.com/")
    );
    // The owner's controls are there.
    assert!(
        !page
            .texts("a[href$='/items/python-data-stack/edit']")
            .is_empty()
    );
}

#[tokio::test]
async fn markdown_and_titles_from_the_learner_cannot_inject_html() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let id = fixture(&app, "ada", Visibility::Private).await;
    let page = format!("/curricula/{id}");
    let resp = ada
        .submit(
            &format!("{page}/edit"),
            &format!("{page}/edit"),
            &[
                ("title", "<b>Bold</b> plan"),
                (
                    "description",
                    "<script>alert(1)</script>\n\n[x](javascript:alert(1)) **ok**",
                ),
            ],
        )
        .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    let shown = ada.get(&page).await;
    assert_eq!(shown.text("h1"), "<b>Bold</b> plan");
    assert!(!shown.body.contains("<script>alert"));
    assert!(shown.texts("a[href^='javascript']").is_empty());
    assert!(
        shown
            .text(".description")
            .contains("<script>alert(1)</script>"),
        "shown as text"
    );
    assert_eq!(shown.text(".description strong"), "ok");
}

#[tokio::test]
async fn downloads_are_attachments_named_after_the_curriculum() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let id = fixture(&app, "ada", Visibility::Private).await;
    let toml = ada.get(&format!("/curricula/{id}/download.toml")).await;
    assert_eq!(toml.status, StatusCode::OK);
    assert_eq!(
        toml.headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"fixture.toml\""
    );
    assert!(
        toml.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/toml")
    );
    assert_eq!(toml.body, FIXTURE);
    let md = ada.get(&format!("/curricula/{id}/download.md")).await;
    assert_eq!(
        md.headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"fixture.md\""
    );
    assert!(md.body.starts_with("# Fixture"), "{}", md.body);
}

#[tokio::test]
async fn a_download_of_an_odd_title_gets_a_safe_file_name() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let id = fixture(&app, "ada", Visibility::Private).await;
    let page = format!("/curricula/{id}");
    ada.submit(
        &format!("{page}/edit"),
        &format!("{page}/edit"),
        &[
            ("title", "\"../../etc/passwd\"; x=1 élan"),
            ("description", ""),
        ],
    )
    .await;
    let toml = ada.get(&format!("{page}/download.toml")).await;
    assert_eq!(
        toml.headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"etc-passwd-x-1-elan.toml\""
    );
}

#[tokio::test]
async fn a_non_numeric_or_unknown_id_is_not_found() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let id = fixture(&app, "ada", Visibility::Private).await;
    for path in [
        "/curricula/abc".to_owned(),
        "/curricula/99999999".to_owned(),
        "/curricula/-1/download.toml".to_owned(),
        "/curricula/1e3/download.md".to_owned(),
        "/curricula/abc/edit".to_owned(),
        format!("/curricula/{id}/items/nope/edit"),
        format!("/curricula/{id}/phases/9/edit"),
        format!("/curricula/{id}/phases/0/edit"),
        format!("/curricula/{id}/phases/x/edit"),
    ] {
        assert_eq!(ada.get(&path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    ada.get("/curricula").await;
    for path in [
        "/curricula/abc/edit",
        "/curricula/abc/delete",
        "/curricula/99999999/fork",
    ] {
        let resp = ada.post(path, &[("title", "X")]).await;
        assert_eq!(resp.status, StatusCode::NOT_FOUND, "{path}");
    }
}

// ---------------------------------------------------------------------------------------------
// Editing

#[tokio::test]
async fn editing_the_title_and_description_stores_both() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let id = fixture(&app, "ada", Visibility::Private).await;
    let edit = format!("/curricula/{id}/edit");
    let form = ada.get(&edit).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("value=\"Fixture\""));
    let resp = ada
        .post(
            &edit,
            &[
                ("title", " A better name "),
                ("description", "Line one\r\n\r\n**two**"),
            ],
        )
        .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER);
    let c = stored_curriculum(&app, id).await;
    assert_eq!(c.title, "A better name");
    assert_eq!(c.description, "Line one\n\n**two**");
    assert_eq!(stored(&app, id).await.unwrap().title, "A better name");
    let page = ada.get(&format!("/curricula/{id}")).await;
    assert_eq!(page.text("h1"), "A better name");
    assert_eq!(page.text(".description strong"), "two");
}

#[tokio::test]
async fn an_empty_title_is_refused_next_to_the_field_and_nothing_is_stored() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let id = fixture(&app, "ada", Visibility::Private).await;
    let before = stored(&app, id).await;
    let edit = format!("/curricula/{id}/edit");
    let resp = ada
        .submit(
            &edit,
            &edit,
            &[("title", ""), ("description", "kept in the form")],
        )
        .await;
    assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        resp.text("#title-error"),
        "The title is empty: give it a few words."
    );
    assert_eq!(resp.text("#description"), "kept in the form");
    assert_eq!(stored(&app, id).await, before);
}

#[tokio::test]
async fn editing_an_item_stores_every_field() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let id = fixture(&app, "ada", Visibility::Private).await;
    let edit = format!("/curricula/{id}/items/b/edit");
    let form = ada.get(&edit).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("value=\"3-5\""), "the hours as typed");
    assert_eq!(
        form.texts("fieldset.prerequisites .check").len(),
        1,
        "only the other items"
    );
    let fields = item_fields(&[
        ("id", "build-b"),
        ("kind", "project"),
        ("title", "Build B"),
        ("url", "https://example.org/b"),
        ("hours", "6.5 - 8"),
        ("guess", "on"),
        ("skills", "rust, web, rust"),
        ("mode", "taking-in"),
        ("notes", "- [ ] step one\r\n- [x] step two"),
        ("phase", "2"),
    ]);
    let resp = ada.post(&edit, &fields).await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    assert_eq!(
        resp.location(),
        Some(format!("/curricula/{id}#item-build-b").as_str())
    );
    let c = stored_curriculum(&app, id).await;
    assert_eq!(ids_by_phase(&c), [vec!["a"], vec!["build-b"]]);
    let item = &c.phases[1].items[0];
    assert_eq!(item.kind, ItemKind::Project);
    assert_eq!(item.title, "Build B");
    assert_eq!(item.url.as_deref(), Some("https://example.org/b"));
    assert_eq!(
        item.effort,
        Effort::HoursRange {
            min: Minutes::new(390),
            max: Minutes::from_hours(8)
        }
    );
    assert_eq!(item.estimate_source, EstimateSource::Guess);
    assert_eq!(item.skills, ["rust", "web"]);
    assert_eq!(item.requires.len(), 1);
    assert_eq!(item.mode_override, Some(Mode::TakingIn));
    assert_eq!(item.notes, "- [ ] step one\n- [x] step two");

    let page = ada.get(&format!("/curricula/{id}")).await;
    let shown = "#phase-2 #item-build-b";
    assert_eq!(page.text(&format!("{shown} .effort")), "6.5–8 h");
    assert_eq!(page.text(&format!("{shown} .mode")), "taking in");
    assert_eq!(
        page.texts(&format!("{shown} .notes input[type=checkbox]"))
            .len(),
        2
    );

    // And back: no guess, no mode, no link, a single number of hours.
    let edit = format!("/curricula/{id}/items/build-b/edit");
    ada.get(&edit).await;
    let fields = item_fields(&[("id", "build-b"), ("hours", "12"), ("phase", "2")]);
    assert_eq!(ada.post(&edit, &fields).await.status, StatusCode::SEE_OTHER);
    let item = stored_curriculum(&app, id).await.phases[1].items[0].clone();
    assert_eq!(item.effort, Effort::Hours(Minutes::from_hours(12)));
    assert_eq!(item.estimate_source, EstimateSource::Stated);
    assert_eq!(item.mode_override, None);
    assert_eq!(item.url, None);
}

#[tokio::test]
async fn an_estimate_in_weeks_is_kept_when_the_hours_are_left_empty() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let resp = ada
        .submit(
            "/curricula",
            "/curricula/from-template",
            &[("template", TEMPLATE)],
        )
        .await;
    let id = created_id(&resp);
    let before = stored_curriculum(&app, id).await;
    let edit = format!("/curricula/{id}/items/first-deployed-model/edit");
    let form = ada.get(&edit).await;
    assert!(
        form.text("#hours-help")
            .contains("6 weeks at 20 h a week (120 h)"),
        "{}",
        form.text("#hours-help")
    );
    let item = before
        .items()
        .find(|i| i.id.as_str() == "first-deployed-model")
        .unwrap();
    let requires: Vec<String> = item.requires.iter().map(ToString::to_string).collect();
    let mut fields = vec![
        ("id", "first-deployed-model"),
        ("kind", "project"),
        ("title", "Ship a model"),
        ("url", "https://www.streamlit.io/"),
        ("hours", ""),
        (
            "skills",
            "streamlit, docker, deployment, mlops, scikit-learn",
        ),
        ("notes", item.notes.as_str()),
        ("phase", "2"),
    ];
    fields.extend(requires.iter().map(|r| ("requires", r.as_str())));
    let resp = ada.post(&edit, &fields).await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    let after = stored_curriculum(&app, id).await;
    let changed = after
        .items()
        .find(|i| i.id.as_str() == "first-deployed-model")
        .unwrap();
    assert_eq!(changed.title, "Ship a model");
    assert_eq!(changed.effort, item.effort);
    let mut expected = before.clone();
    expected.phases[1]
        .items
        .iter_mut()
        .find(|i| i.id == item.id)
        .unwrap()
        .title = "Ship a model".to_owned();
    assert_eq!(after, expected, "nothing else changed");
}

#[tokio::test]
async fn renaming_an_item_renames_it_in_the_prerequisites_of_others() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let id = fixture(&app, "ada", Visibility::Private).await;
    let edit = format!("/curricula/{id}/items/a/edit");
    let fields = [
        ("id", "a-first"),
        ("kind", "book"),
        ("title", "Item A"),
        ("hours", "2"),
        ("phase", "1"),
    ];
    let resp = ada.submit(&edit, &edit, &fields).await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    let c = stored_curriculum(&app, id).await;
    assert_eq!(c.phases[0].items[1].requires[0].as_str(), "a-first");
}

#[tokio::test]
async fn a_bad_item_edit_shows_the_error_next_to_the_field_and_stores_nothing() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let id = fixture(&app, "ada", Visibility::Private).await;
    let before = stored(&app, id).await;
    let edit = format!("/curricula/{id}/items/b/edit");
    let cases = [
        ("id", "Not A Slug", "#id-error", "is not a valid id"),
        ("id", "a", "#id-error", "is used by an earlier item"),
        ("title", "  ", "#title-error", "The title is empty"),
        ("kind", "lecture", "#kind-error", "is not a kind"),
        (
            "url",
            "ftp://example.org",
            "#url-error",
            "is not a web address",
        ),
        (
            "url",
            "javascript:alert(1)",
            "#url-error",
            "is not a web address",
        ),
        ("hours", "0", "#hours-error", "more than zero"),
        ("hours", "9-3", "#hours-error", "runs backwards"),
        (
            "hours",
            "5000",
            "#hours-error",
            "more than the limit of 4000",
        ),
        ("hours", "lots", "#hours-error", "is not a number of hours"),
        ("hours", "", "#hours-error", "Give an estimate in hours"),
        ("mode", "sleeping", "#mode-error", "is not a mode"),
        (
            "phase",
            "9",
            "#phase-error",
            "Choose one of the curriculum's phases",
        ),
        ("requires", "Bad Id", "#requires-error", "is not a valid id"),
        (
            "requires",
            "nothing-here",
            "#requires-error",
            "No item has the id",
        ),
    ];
    for (field, value, selector, message) in cases {
        ada.get(&edit).await;
        let resp = ada.post(&edit, &item_fields(&[(field, value)])).await;
        assert_eq!(
            resp.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}={value}"
        );
        let error = resp.text(selector);
        assert!(error.contains(message), "{field}={value}: {error:?}");
        assert_eq!(stored(&app, id).await, before, "{field}={value}");
    }
    // What was typed comes back in the form.
    let resp = ada
        .post(&edit, &item_fields(&[("hours", "9-3"), ("title", "Typed")]))
        .await;
    assert!(resp.body.contains("value=\"9-3\""));
    assert!(resp.body.contains("value=\"Typed\""));
}

#[tokio::test]
async fn a_prerequisite_cycle_is_refused() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let id = fixture(&app, "ada", Visibility::Private).await;
    let before = stored(&app, id).await;
    let edit = format!("/curricula/{id}/items/a/edit");
    let fields = [
        ("id", "a"),
        ("kind", "book"),
        ("title", "Item A"),
        ("hours", "2"),
        ("requires", "b"),
        ("phase", "1"),
    ];
    let resp = ada.submit(&edit, &edit, &fields).await;
    assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = resp.text("#requires-error");
    assert!(
        error.contains("cycle") && error.contains("a → b → a"),
        "{error}"
    );
    assert_eq!(stored(&app, id).await, before);
}

#[tokio::test]
async fn a_prerequisite_in_a_later_phase_is_a_warning_that_does_not_block() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let id = fixture(&app, "ada", Visibility::Private).await;
    let edit = format!("/curricula/{id}/items/a/edit");
    let fields = [
        ("id", "a"),
        ("kind", "book"),
        ("title", "Item A"),
        ("hours", "2"),
        ("phase", "2"),
    ];
    let resp = ada.submit(&edit, &edit, &fields).await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    let page = ada.get(&format!("/curricula/{id}")).await;
    let warning = page.text("#item-b .warning");
    assert!(warning.contains("later phase \"Later\""), "{warning}");
}

#[tokio::test]
async fn adding_phases_and_items_validates_them() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let id = fixture(&app, "ada", Visibility::Private).await;
    let base = format!("/curricula/{id}");
    let refused = ada
        .submit(
            &format!("{base}/phases/new"),
            &format!("{base}/phases"),
            &[("title", "")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text("#title-error").contains("title is empty"));
    let added = ada
        .submit(
            &format!("{base}/phases/new"),
            &format!("{base}/phases"),
            &[("title", "Projects"), ("description", "Make things.")],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);

    let new_item = format!("{base}/items/new?phase=3");
    let form = ada.get(&new_item).await;
    assert!(form.body.contains("<option value=\"3\" selected>"));
    assert_eq!(form.texts("fieldset.prerequisites .check").len(), 2);
    let duplicate = ada
        .post(
            &format!("{base}/items"),
            &[
                ("id", "b"),
                ("kind", "project"),
                ("title", "Again"),
                ("hours", "3"),
                ("phase", "3"),
            ],
        )
        .await;
    assert_eq!(duplicate.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        duplicate
            .text("#id-error")
            .contains("used by an earlier item")
    );
    let resp = ada
        .post(
            &format!("{base}/items"),
            &[
                ("id", "capstone"),
                ("kind", "project"),
                ("title", "Capstone"),
                ("hours", "20-30"),
                ("requires", "a"),
                ("requires", "b"),
                ("phase", "3"),
            ],
        )
        .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    let c = stored_curriculum(&app, id).await;
    assert_eq!(c.phases[2].title, "Projects");
    assert_eq!(c.phases[2].description, "Make things.");
    assert_eq!(ids_by_phase(&c)[2], ["capstone"]);
    assert_eq!(c.phases[2].items[0].requires.len(), 2);

    // Without an id, the title makes one; a link typed without its scheme gets https://.
    ada.get(&new_item).await;
    let resp = ada
        .post(
            &format!("{base}/items"),
            &[
                ("id", ""),
                ("kind", "paper"),
                ("title", "Attention Is All You Need!"),
                ("url", "arxiv.org/abs/1706.03762"),
                ("hours", "4"),
                ("phase", "3"),
            ],
        )
        .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    let c = stored_curriculum(&app, id).await;
    let paper = &c.phases[2].items[1];
    assert_eq!(paper.id.as_str(), "attention-is-all-you-need");
    assert_eq!(
        paper.url.as_deref(),
        Some("https://arxiv.org/abs/1706.03762")
    );
}

#[tokio::test]
async fn phases_and_items_move_up_and_down() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let id = fixture(&app, "ada", Visibility::Private).await;
    let base = format!("/curricula/{id}");
    ada.get(&base).await;
    let mut step = async |path: &str, direction: &str| {
        let resp = ada
            .post(&format!("{base}{path}"), &[("direction", direction)])
            .await;
        assert_eq!(
            resp.status,
            StatusCode::SEE_OTHER,
            "{path} {direction}: {}",
            resp.body
        );
        ids_by_phase(&stored_curriculum(&app, id).await)
    };
    assert_eq!(step("/items/b/move", "up").await, [vec!["b", "a"], vec![]]);
    assert_eq!(
        step("/items/b/move", "up").await,
        [vec!["b", "a"], vec![]],
        "already first"
    );
    assert_eq!(
        step("/items/a/move", "down").await,
        [vec!["b"], vec!["a"]],
        "into the next phase"
    );
    assert_eq!(
        step("/items/a/move", "up").await,
        [vec!["b", "a"], vec![]],
        "back again"
    );
    assert_eq!(
        step("/phases/1/move", "down").await,
        [vec![], vec!["b", "a"]]
    );
    assert_eq!(step("/phases/2/move", "up").await, [vec!["b", "a"], vec![]]);
    let c = stored_curriculum(&app, id).await;
    assert_eq!(c.phases[0].title, "Basics");
    let page = ada.get(&base).await;
    assert_eq!(page.texts("li.item h3"), ["Item B", "Item A"]);
}

#[tokio::test]
async fn editing_and_removing_phases() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let id = fixture(&app, "ada", Visibility::Private).await;
    let base = format!("/curricula/{id}");
    let edit = format!("{base}/phases/2/edit");
    let resp = ada
        .submit(
            &edit,
            &edit,
            &[("title", "Afterwards"), ("description", "")],
        )
        .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER);
    assert_eq!(
        stored_curriculum(&app, id).await.phases[1].title,
        "Afterwards"
    );

    let before = stored(&app, id).await;
    let refused = ada
        .submit(
            &format!("{base}/phases/1/edit"),
            &format!("{base}/phases/1/remove"),
            &[],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.text("#remove-error").contains("at least one item"),
        "{}",
        refused.text("#remove-error")
    );
    assert_eq!(stored(&app, id).await, before);

    let resp = ada
        .submit(&edit, &format!("{base}/phases/2/remove"), &[])
        .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER);
    assert_eq!(stored_curriculum(&app, id).await.phases.len(), 1);
}

#[tokio::test]
async fn removing_an_item_others_require_is_refused_with_their_names() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let id = fixture(&app, "ada", Visibility::Private).await;
    let base = format!("/curricula/{id}");
    let before = stored(&app, id).await;
    let refused = ada
        .submit(
            &format!("{base}/items/a/edit"),
            &format!("{base}/items/a/remove"),
            &[],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        refused.text("#remove-error"),
        "“b” requires this item: take it out of their prerequisites first."
    );
    assert_eq!(stored(&app, id).await, before);

    let resp = ada
        .submit(
            &format!("{base}/items/b/edit"),
            &format!("{base}/items/b/remove"),
            &[],
        )
        .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER);
    assert_eq!(
        ids_by_phase(&stored_curriculum(&app, id).await),
        [vec!["a"], vec![]]
    );
    let last = ada
        .submit(
            &format!("{base}/items/a/edit"),
            &format!("{base}/items/a/remove"),
            &[],
        )
        .await;
    assert_eq!(last.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(last.text("#remove-error").contains("at least one item"));
}

#[tokio::test]
async fn a_wrong_token_on_an_edit_is_refused_and_nothing_is_stored() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let id = fixture(&app, "ada", Visibility::Private).await;
    let before = stored(&app, id).await;
    let base = format!("/curricula/{id}");
    ada.get(&base).await;
    let mut fields = vec![("csrf", "forged")];
    fields.extend(item_fields(&[("title", "Forged")]));
    for (path, fields) in [
        (
            format!("{base}/edit"),
            vec![("csrf", "forged"), ("title", "Forged")],
        ),
        (format!("{base}/items/b/edit"), fields),
        (
            format!("{base}/visibility"),
            vec![("csrf", "forged"), ("visibility", "public")],
        ),
        (format!("{base}/delete"), vec![("csrf", "forged")]),
        (format!("{base}/items/b/remove"), vec![]),
    ] {
        let resp = ada.post_exact(&path, &fields).await;
        assert_eq!(resp.status, StatusCode::FORBIDDEN, "{path}");
        assert_eq!(stored(&app, id).await, before, "{path}");
    }
}

#[tokio::test]
async fn visibility_changes_who_can_see_the_curriculum() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let mut visitor = app.client();
    let id = fixture(&app, "ada", Visibility::Private).await;
    let page = format!("/curricula/{id}");
    assert_eq!(visitor.get(&page).await.status, StatusCode::NOT_FOUND);
    let resp = ada
        .submit(
            &page,
            &format!("{page}/visibility"),
            &[("visibility", "unlisted")],
        )
        .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER);
    let seen = visitor.get(&page).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert_eq!(seen.text(".tag.visibility"), "Unlisted");
    assert!(
        seen.texts("a[href$='/edit']").is_empty(),
        "no edit controls for visitors"
    );
    assert!(seen.texts("form[action$='/move']").is_empty());
    let bad = ada
        .submit(
            &page,
            &format!("{page}/visibility"),
            &[("visibility", "secret")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    ada.submit(
        &page,
        &format!("{page}/visibility"),
        &[("visibility", "private")],
    )
    .await;
    assert_eq!(visitor.get(&page).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn deleting_asks_first_then_deletes() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let id = fixture(&app, "ada", Visibility::Public).await;
    let confirm = ada.get(&format!("/curricula/{id}/delete")).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert_eq!(confirm.text("h1"), "Delete “Fixture”?");
    assert!(
        confirm
            .texts("p.muted")
            .iter()
            .any(|t| t.contains("Anyone who follows it has their own copy"))
    );
    assert!(stored(&app, id).await.is_some(), "asking deletes nothing");
    let resp = ada.post(&format!("/curricula/{id}/delete"), &[]).await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER);
    assert_eq!(resp.location(), Some("/curricula"));
    assert!(stored(&app, id).await.is_none());
    assert_eq!(
        ada.get(&format!("/curricula/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
}

// ---------------------------------------------------------------------------------------------
// Who may do what, on every route

/// Whether a route only shows the curriculum (anyone its visibility allows) or changes it or
/// shows an editor (its owner only).
#[derive(Clone, Copy, PartialEq)]
enum Access {
    View,
    Own,
}

/// A route: method, path after `/curricula/{id}`, form fields, and who may use it.
type Route = (
    &'static str,
    &'static str,
    Vec<(&'static str, &'static str)>,
    Access,
);

fn routes() -> Vec<Route> {
    use Access::{Own, View};
    let item = vec![
        ("id", "b"),
        ("kind", "course"),
        ("title", "Changed"),
        ("hours", "4"),
        ("requires", "a"),
        ("phase", "1"),
    ];
    vec![
        ("GET", "", vec![], View),
        ("GET", "/download.toml", vec![], View),
        ("GET", "/download.md", vec![], View),
        ("GET", "/edit", vec![], Own),
        (
            "POST",
            "/edit",
            vec![("title", "Changed"), ("description", "")],
            Own,
        ),
        ("GET", "/phases/new", vec![], Own),
        ("POST", "/phases", vec![("title", "Changed")], Own),
        ("GET", "/phases/2/edit", vec![], Own),
        ("POST", "/phases/2/edit", vec![("title", "Changed")], Own),
        ("POST", "/phases/1/move", vec![("direction", "down")], Own),
        ("POST", "/phases/2/remove", vec![], Own),
        ("GET", "/items/new?phase=1", vec![], Own),
        (
            "POST",
            "/items",
            vec![
                ("id", "c"),
                ("kind", "book"),
                ("title", "C"),
                ("hours", "1"),
                ("phase", "1"),
            ],
            Own,
        ),
        ("GET", "/items/b/edit", vec![], Own),
        ("POST", "/items/b/edit", item, Own),
        ("POST", "/items/b/move", vec![("direction", "up")], Own),
        ("POST", "/items/b/remove", vec![], Own),
        ("POST", "/visibility", vec![("visibility", "private")], Own),
        ("GET", "/delete", vec![], Own),
        ("POST", "/delete", vec![], Own),
    ]
}

async fn call(client: &mut Client, method: &str, path: &str, fields: &[(&str, &str)]) -> Resp {
    match method {
        "GET" => client.get(path).await,
        _ => client.post(path, fields).await,
    }
}

#[tokio::test]
async fn every_route_lets_only_those_allowed_see_or_change_a_curriculum() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let mut bob = app.learner("bob").await;
    let mut visitor = app.client();
    // Each picks up a valid token, so only the access rules can refuse them.
    ada.get("/curricula").await;
    bob.get("/curricula").await;
    visitor.get("/signin").await;
    assert!(visitor.csrf.is_some());
    for visibility in [
        Visibility::Private,
        Visibility::Unlisted,
        Visibility::Public,
    ] {
        for (method, suffix, fields, access) in routes() {
            let id = fixture(&app, "ada", visibility).await;
            let path = format!("/curricula/{id}{suffix}");
            let before = stored(&app, id).await;
            let others_see = access == Access::View && visibility != Visibility::Private;
            let expected = if others_see {
                StatusCode::OK
            } else {
                StatusCode::NOT_FOUND
            };
            for (who, client) in [("a visitor", &mut visitor), ("another learner", &mut bob)] {
                let resp = call(client, method, &path, &fields).await;
                let case = format!("{method} {path} by {who} on {visibility:?}");
                assert_eq!(resp.status, expected, "{case}: {}", resp.body);
                assert_eq!(stored(&app, id).await, before, "{case} changed it");
                if expected == StatusCode::NOT_FOUND {
                    assert_eq!(resp.text("h1"), "Not found", "{case}");
                }
            }
            let resp = call(&mut ada, method, &path, &fields).await;
            let owner_expects = if method == "GET" {
                StatusCode::OK
            } else {
                StatusCode::SEE_OTHER
            };
            let case = format!("{method} {path} by the owner on {visibility:?}");
            assert_eq!(resp.status, owner_expects, "{case}: {}", resp.body);
            if method == "POST" && suffix != "/visibility" {
                assert_ne!(stored(&app, id).await, before, "{case} changed nothing");
            }
        }
    }
    assert!(
        curricula_of(&app, "bob").await.is_empty(),
        "nobody copied into bob's account"
    );
}
