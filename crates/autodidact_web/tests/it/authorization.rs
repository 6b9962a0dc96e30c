//! Who may see and do what, on every route: anonymous, the owner, and another learner, on
//! private, unlisted and public objects. Every page route must have an entry in [`ROUTES`]
//! (a test reads the router's source and fails on a route without one); API routes come from
//! the OpenAPI document, which a test in `api.rs` keeps equal to the router.

use std::collections::BTreeSet;

use autodidact_core::accounts::{Handle, UserId};
use autodidact_core::curriculum::{ItemId, Minutes};
use autodidact_core::store::{
    AccountDataStore, AccountStore, CurriculumId, CurriculumStore, EvidenceKind, FollowId,
    FollowStore, JournalPostId, LogKind, LogStore, NewCurriculum, NewJournalPost, NewLog,
    ProfileSettings, Relation, Section, SharingStore, TokenScope, TokenStore, Visibility,
};
use axum::http::StatusCode;
use jiff::Timestamp;

use crate::support::{Client, TestApp};
use autodidact_store::testing::FollowBuilder;

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    /// Anyone, signed in or not.
    Public,
    /// A signed-in person, on their own account or data; anonymous visitors are sent to sign in.
    SignedIn,
    /// Only the owner of the object named in the path; everyone else gets 404.
    Owner,
    /// Reading a curriculum, a profile or a journal post: its owner, anyone when it is unlisted
    /// or public, and the owner's approved followers when it is shown to followers.
    Visible,
    /// Following a curriculum: any signed-in person who may see it.
    VisibleSignedIn,
    /// Whoever holds the calendar feed token in the path.
    FeedToken,
}

use Access::*;

/// Every page route and who may use it.
const ROUTES: &[(&str, &str, Access)] = &[
    ("GET", "/", Public),
    ("GET", "/healthz", Public),
    ("GET", "/readyz", Public),
    ("GET", "/dashboard", SignedIn),
    ("GET", "/signup", Public),
    ("POST", "/signup", Public),
    ("GET", "/signup/confirm/{token}", Public),
    ("POST", "/signup/confirm/{token}", Public),
    ("GET", "/signin", Public),
    ("POST", "/signin", Public),
    ("POST", "/signout", SignedIn),
    ("GET", "/settings", SignedIn),
    ("POST", "/settings", SignedIn),
    ("POST", "/settings/password", SignedIn),
    ("POST", "/settings/pacing", SignedIn),
    ("GET", "/settings/sessions", SignedIn),
    ("POST", "/settings/sessions/{id}/revoke", Owner),
    ("GET", "/settings/tokens", SignedIn),
    ("POST", "/settings/tokens", SignedIn),
    ("POST", "/settings/tokens/{id}/revoke", Owner),
    ("GET", "/settings/account", SignedIn),
    ("GET", "/settings/takeout", SignedIn),
    ("POST", "/settings/takeout", SignedIn),
    ("POST", "/settings/email", SignedIn),
    ("GET", "/settings/delete", SignedIn),
    ("POST", "/settings/delete", SignedIn),
    ("GET", "/password/forgot", Public),
    ("POST", "/password/forgot", Public),
    ("GET", "/password/reset/{token}", Public),
    ("POST", "/password/reset/{token}", Public),
    ("GET", "/curricula", SignedIn),
    ("GET", "/curricula/new", Public), // redirects to the list
    ("POST", "/curricula/new", SignedIn),
    ("GET", "/curricula/from-template", Public), // redirects to the list
    ("POST", "/curricula/from-template", SignedIn),
    ("GET", "/templates/{id}", Public),
    ("GET", "/curricula/import", Public), // redirects to the list
    ("POST", "/curricula/import", SignedIn),
    ("GET", "/static/{asset}", Public),
    ("GET", "/curricula/{id}", Visible),
    ("GET", "/curricula/{id}/hours", Owner),
    ("GET", "/curricula/{id}/crowd-hours", Owner),
    ("POST", "/curricula/{id}/crowd-hours", Owner),
    ("POST", "/curricula/{id}/crowd-hours/off", Owner),
    ("POST", "/curricula/{id}/hours", Owner),
    ("GET", "/curricula/{id}/update", Owner),
    ("POST", "/curricula/{id}/update", Owner),
    ("POST", "/curricula/{id}/update/apply", Owner),
    ("GET", "/curricula/{id}/download.toml", Visible),
    ("GET", "/curricula/{id}/download.md", Visible),
    ("POST", "/curricula/{id}/fork", VisibleSignedIn),
    ("GET", "/curricula/{id}/upstream", Owner),
    ("POST", "/curricula/{id}/upstream", Owner),
    ("POST", "/curricula/{id}/upstream/accept", Owner),
    ("GET", "/curricula/{id}/suggest", Owner),
    ("POST", "/curricula/{id}/suggest", Owner),
    ("POST", "/curricula/{id}/suggestions/{sid}/accept", Owner),
    ("POST", "/curricula/{id}/suggestions/{sid}/decline", Owner),
    ("GET", "/curricula/{id}/edit", Owner),
    ("POST", "/curricula/{id}/edit", Owner),
    ("POST", "/curricula/{id}/visibility", Owner),
    ("GET", "/curricula/{id}/delete", Owner),
    ("POST", "/curricula/{id}/delete", Owner),
    ("GET", "/curricula/{id}/phases/new", Owner),
    ("POST", "/curricula/{id}/phases", Owner),
    ("POST", "/curricula/{id}/phases/{phase}/move", Owner),
    ("POST", "/curricula/{id}/phases/{phase}/remove", Owner),
    ("GET", "/curricula/{id}/phases/{phase}/edit", Owner),
    ("POST", "/curricula/{id}/phases/{phase}/edit", Owner),
    ("GET", "/curricula/{id}/items/new", Owner),
    ("POST", "/curricula/{id}/items", Owner),
    ("POST", "/curricula/{id}/items/{item}/move", Owner),
    ("POST", "/curricula/{id}/items/{item}/remove", Owner),
    ("GET", "/curricula/{id}/items/{item}/edit", Owner),
    ("POST", "/curricula/{id}/items/{item}/edit", Owner),
    ("GET", "/curricula/{id}/follow", VisibleSignedIn),
    ("POST", "/curricula/{id}/follow", VisibleSignedIn),
    ("GET", "/follows", SignedIn),
    ("GET", "/follows/{id}", Owner),
    ("POST", "/follows/{id}/plan", Owner),
    ("GET", "/follows/{id}/done-before", Owner),
    ("POST", "/follows/{id}/done-before", Owner),
    ("POST", "/follows/{id}/breaks", Owner),
    ("POST", "/follows/{id}/breaks/remove", Owner),
    ("POST", "/follows/{id}/calendar", Owner),
    ("POST", "/follows/{id}/calendar/revoke", Owner),
    ("GET", "/follows/{id}/board", Owner),
    ("GET", "/follows/{id}/items/{item_id}", Owner),
    ("POST", "/follows/{id}/items/{item_id}/status", Owner),
    ("POST", "/follows/{id}/items/{item_id}/notes", Owner),
    ("POST", "/follows/{id}/items/{item_id}/tasks/{n}", Owner),
    ("POST", "/follows/{id}/items/{item_id}/evidence", Owner),
    ("POST", "/follows/{id}/items/{item_id}/rating", Owner),
    ("POST", "/follows/{id}/items/{item_id}/rating/delete", Owner),
    (
        "POST",
        "/follows/{id}/items/{item_id}/evidence/{evidence_id}/remove",
        Owner,
    ),
    ("GET", "/follows/{id}/unfollow", Owner),
    ("POST", "/follows/{id}/unfollow", Owner),
    ("POST", "/follows/{id}/replan", Owner),
    ("POST", "/insight/dismiss", SignedIn),
    ("GET", "/calendar/{file}", FeedToken),
    ("GET", "/logs", SignedIn),
    ("POST", "/logs", SignedIn),
    ("POST", "/timer/start", SignedIn),
    ("POST", "/timer/stop", SignedIn),
    ("POST", "/timer/discard", SignedIn),
    ("GET", "/logs/new", SignedIn),
    ("GET", "/logs/{id}/edit", Owner),
    ("POST", "/logs/{id}", Owner),
    ("POST", "/logs/{id}/delete", Owner),
    ("GET", "/commitments", SignedIn),
    ("POST", "/commitments", SignedIn),
    ("GET", "/reviews", SignedIn),
    ("POST", "/follows/{id}/items/{item_id}/review", Owner),
    ("POST", "/follows/{id}/items/{item_id}/review/stop", Owner),
    ("POST", "/follows/{id}/items/{item_id}/review/grade", Owner),
    ("GET", "/week", SignedIn),
    ("GET", "/explore", Public),
    ("GET", "/@{handle}", Visible),
    ("GET", "/@{handle}/feed.xml", Visible),
    ("POST", "/@{handle}/follow", VisibleSignedIn),
    ("POST", "/@{handle}/unfollow", VisibleSignedIn),
    ("GET", "/settings/profile", SignedIn),
    ("POST", "/settings/profile", SignedIn),
    ("GET", "/settings/profile/site.zip", SignedIn),
    ("POST", "/settings/profile/follows/{id}", Owner),
    ("POST", "/settings/followers/{handle}/approve", SignedIn),
    ("POST", "/settings/followers/{handle}/remove", SignedIn),
    ("GET", "/journal", SignedIn),
    ("POST", "/journal", SignedIn),
    ("GET", "/journal/{id}", Visible),
    ("GET", "/journal/{id}/edit", Owner),
    ("POST", "/journal/{id}/edit", Owner),
    ("POST", "/journal/{id}/delete", Owner),
];

/// `(method, path)` of every `.route(…)` in the web crate's sources, outside `/api`.
fn routes_in_source() -> BTreeSet<(String, String)> {
    let mut found = BTreeSet::new();
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut stack = vec![src];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let mut rest = text.as_str();
            while let Some(at) = rest.find(".route(") {
                rest = rest[at + 7..].trim_start();
                let Some(quoted) = rest.strip_prefix('"') else {
                    continue;
                };
                rest = quoted;
                let end = rest.find('"').unwrap();
                let route = rest[..end].to_owned();
                // The method router runs to the call's closing parenthesis.
                let mut depth = 1;
                let mut close = end;
                for (i, c) in rest[end..].char_indices() {
                    match c {
                        '(' => depth += 1,
                        ')' => {
                            depth -= 1;
                            if depth == 0 {
                                close = end + i;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                let methods = &rest[end..close];
                if route.starts_with("/api") {
                    continue;
                }
                for (name, method) in [
                    ("get(", "GET"),
                    ("post(", "POST"),
                    ("put(", "PUT"),
                    ("patch(", "PATCH"),
                    ("delete(", "DELETE"),
                    ("any(", "ANY"),
                ] {
                    let called = methods.match_indices(name).any(|(i, _)| {
                        i == 0 || !methods[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_')
                    });
                    if called {
                        found.insert((method.to_owned(), route.clone()));
                    }
                }
            }
        }
    }
    found
}

#[test]
fn every_page_route_has_an_authorization_entry() {
    let in_source = routes_in_source();
    let listed: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|(m, p, _)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    let missing: Vec<_> = in_source.difference(&listed).collect();
    let stale: Vec<_> = listed.difference(&in_source).collect();
    assert!(
        missing.is_empty(),
        "routes with no authorization entry in ROUTES: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "entries in ROUTES for routes that do not exist: {stale:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// The walk

const SECRET: &str = "Zanzibar private syllabus";
/// In the titles of what Ada shows her approved followers only.
const FOLLOWERS_SECRET: &str = "Quixotic followers-only syllabus";

/// The words a viewer who is `relation` to Ada must never be shown.
fn secrets_hidden_from(relation: Relation) -> &'static [&'static str] {
    match relation {
        Relation::Owner => &[],
        Relation::Follower => &[SECRET],
        Relation::Stranger => &[SECRET, FOLLOWERS_SECRET],
    }
}

struct World {
    ada: Client,
    ada_id: UserId,
    /// Carol, whom Ada approved as a follower.
    carol: Client,
    curricula: [(Visibility, CurriculumId); 4],
    /// Ada's journal posts: a private one and one for her followers.
    posts: [(Visibility, JournalPostId); 2],
    follow: FollowId,
    item: ItemId,
    log: i64,
    token: i64,
    session: i64,
    feed: String,
    evidence: i64,
    /// A live link to set Ada's password.
    reset: String,
}

async fn world(app: &TestApp) -> World {
    let mut ada = app.learner("ada").await;
    let ada_id = app
        .db
        .user_by_handle(&Handle::parse("ada").unwrap())
        .await
        .unwrap()
        .unwrap()
        .id;
    let template = autodidact_core::templates::find("deep-learning-in-six-months").unwrap();
    let mut curricula = Vec::new();
    for visibility in [
        Visibility::Private,
        Visibility::Followers,
        Visibility::Unlisted,
        Visibility::Public,
    ] {
        // Only the private and followers' ones carry a secret: the others may be seen by anyone.
        let title = match visibility {
            Visibility::Private => SECRET.to_owned(),
            Visibility::Followers => FOLLOWERS_SECRET.to_owned(),
            shared => format!("Open syllabus {}", shared.as_str()),
        };
        let source = template
            .source
            .replacen("Deep learning in six months", &title, 1);
        let record = app
            .db
            .create_curriculum(NewCurriculum {
                owner: ada_id,
                title,
                visibility,
                source,
                lineage: Default::default(),
                now: Timestamp::now(),
            })
            .await
            .unwrap();
        curricula.push((visibility, record.id));
    }
    let private = curricula[0].1;
    let ada_user = app.db.user(ada_id).await.unwrap().unwrap();
    let private_record = app.db.curriculum(private).await.unwrap().unwrap();
    let follow = FollowBuilder::new(&ada_user, &private_record)
        .hours_per_week(20)
        .start(jiff::civil::date(2026, 12, 7))
        .create(&app.db)
        .await;
    let item = ItemId::parse("python-crash-course").unwrap();
    let evidence = app
        .db
        .add_evidence(
            follow.id,
            ada_id,
            &item,
            EvidenceKind::Repository,
            "https://example.org/repo",
            "repo",
            Timestamp::now(),
        )
        .await
        .unwrap()
        .id
        .0;
    let (log, _) = app
        .db
        .add_log(NewLog {
            user: ada_id,
            follow: Some(follow.id),
            item: Some(item.clone()),
            minutes: Minutes::new(90),
            kind: LogKind::Learn,
            day: jiff::civil::date(2026, 12, 8),
            note: format!("{SECRET} note"),
            idempotency_key: None,
            start_item: false,
            finish_item: false,
            now: Timestamp::now(),
        })
        .await
        .unwrap();
    let token = app
        .db
        .create_token(
            ada_id,
            "laptop",
            "0".repeat(64).as_str(),
            TokenScope::Read,
            Timestamp::now(),
        )
        .await
        .unwrap();
    let session = app.db.sessions_of(ada_id, Timestamp::now()).await.unwrap()[0]
        .id
        .0;
    // The feed token is shown once on the plan page after creating it.
    let made = ada
        .submit(
            &format!("/follows/{}", follow.id.0),
            &format!("/follows/{}/calendar", follow.id.0),
            &[],
        )
        .await;
    let page = if made.status == StatusCode::SEE_OTHER {
        ada.get(made.location().unwrap()).await
    } else {
        made
    };
    let feed = page
        .body
        .split("/calendar/")
        .nth(1)
        .and_then(|rest| rest.split(".ics").next())
        .map(|token| format!("{token}.ics"))
        .expect("the calendar URL is shown after creating it");
    let reset = "a-live-link-for-ada".to_owned();
    app.db
        .add_password_reset(
            ada_id,
            &autodidact_core::secrets::hash_token(&reset),
            Timestamp::now(),
            Timestamp::now() + jiff::SignedDuration::from_hours(1),
        )
        .await
        .unwrap();
    // Ada's profile page is public, every section of it open to her followers only, and she
    // approves Carol: strangers get the page and must see nothing of the sections.
    let mut settings = ProfileSettings::default();
    settings.profile = Visibility::Public;
    for section in Section::ALL {
        settings.set_section(section, Visibility::Followers);
    }
    app.db
        .set_profile_settings(ada_id, &settings, Timestamp::now())
        .await
        .unwrap();
    let carol = app.learner("carol").await;
    let carol_id = app
        .db
        .user_by_handle(&Handle::parse("carol").unwrap())
        .await
        .unwrap()
        .unwrap()
        .id;
    app.db
        .request_follow(carol_id, ada_id, Some(Timestamp::now()), Timestamp::now())
        .await
        .unwrap();
    let mut posts = Vec::new();
    for (visibility, title) in [
        (Visibility::Private, SECRET),
        (Visibility::Followers, FOLLOWERS_SECRET),
    ] {
        let post = app
            .db
            .add_journal_post(&NewJournalPost {
                author: ada_id,
                title: format!("{title} post"),
                body: format!("{title} body"),
                about: Some((follow.id, item.clone())),
                visibility,
                now: Timestamp::now(),
            })
            .await
            .unwrap();
        posts.push((visibility, post.id));
    }
    World {
        reset,
        ada,
        ada_id,
        carol,
        curricula: [curricula[0], curricula[1], curricula[2], curricula[3]],
        posts: [posts[0], posts[1]],
        follow: follow.id,
        item,
        log: log.id.0,
        token: token.id.0,
        session,
        feed,
        evidence,
    }
}

/// Everything of Ada's that another person must not be able to change.
async fn snapshot(app: &TestApp, w: &World) -> String {
    let db = &app.db;
    let mut out = format!("{:?}\n", db.user(w.ada_id).await.unwrap());
    for (_, id) in w.curricula {
        out += &format!(
            "{:?}\n",
            db.curriculum(id)
                .await
                .unwrap()
                .map(|c| (c.title, c.visibility, c.source))
        );
    }
    out += &format!(
        "{:?}\n",
        db.follows_of(w.ada_id)
            .await
            .unwrap()
            .iter()
            .map(|f| (f.id, &f.budget, f.start, &f.breaks))
            .collect::<Vec<_>>()
    );
    out += &format!("{:?}\n", db.item_states(w.follow).await.unwrap());
    out += &format!("{:?}\n", db.journal_of(w.ada_id).await.unwrap());
    out += &format!("{:?}\n", db.profile_settings(w.ada_id).await.unwrap());
    out += &format!("{:?}\n", db.followers_of(w.ada_id).await.unwrap());
    out += &format!("{:?}\n", db.evidence(w.follow).await.unwrap());
    out += &format!("{:?}\n", db.recent_logs(w.ada_id, 1000).await.unwrap());
    out += &format!(
        "{:?}\n",
        db.tokens_of(w.ada_id)
            .await
            .unwrap()
            .iter()
            .map(|t| t.id)
            .collect::<Vec<_>>()
    );
    out += &format!(
        "{:?}\n",
        db.sessions_of(w.ada_id, Timestamp::now())
            .await
            .unwrap()
            .iter()
            .map(|s| s.id)
            .collect::<Vec<_>>()
    );
    out
}

/// The concrete paths to try for a route, each with the visibility of the object it names.
fn paths_for(pattern: &str, w: &World) -> Vec<(String, Visibility)> {
    let fill = |id: String, vis: Visibility| {
        let path = pattern
            .replace("{item}", w.item.as_str())
            .replace("{item_id}", w.item.as_str())
            .replace("{phase}", "1")
            .replace("{n}", "0")
            .replace("{evidence_id}", &w.evidence.to_string())
            .replace("{file}", &w.feed)
            .replace("{asset}", "app.css")
            .replace("{token}", &w.reset)
            .replace("{handle}", "ada")
            .replace("{sid}", "1")
            .replace("{id}", &id);
        (path, vis)
    };
    if pattern.starts_with("/curricula/{id}") {
        w.curricula
            .iter()
            .map(|(vis, id)| fill(id.0.to_string(), *vis))
            .collect()
    } else if pattern.starts_with("/journal/{id}") {
        w.posts
            .iter()
            .map(|(vis, id)| fill(id.0.to_string(), *vis))
            .collect()
    } else if pattern.starts_with("/@{handle}") {
        vec![fill(String::new(), Visibility::Public)]
    } else if pattern.starts_with("/follows/{id}")
        || pattern.starts_with("/settings/profile/follows/{id}")
    {
        vec![fill(w.follow.0.to_string(), Visibility::Private)]
    } else if pattern.starts_with("/logs/{id}") {
        vec![fill(w.log.to_string(), Visibility::Private)]
    } else if pattern.starts_with("/settings/tokens/{id}") {
        vec![fill(w.token.to_string(), Visibility::Private)]
    } else if pattern.starts_with("/settings/sessions/{id}") {
        vec![fill(w.session.to_string(), Visibility::Private)]
    } else if pattern == "/explore" {
        // The listing, and searches aimed at the titles a viewer must not see.
        [
            "",
            "?q=zanzibar",
            "?q=quixotic+syllabus",
            "?sort=recent&q=syllabus",
        ]
        .into_iter()
        .map(|q| (format!("/explore{q}"), Visibility::Public))
        .collect()
    } else if pattern.starts_with("/templates/{id}") {
        vec![fill("ml-beginner-path".to_owned(), Visibility::Public)]
    } else {
        vec![fill(String::new(), Visibility::Private)]
    }
}

/// Plausible form fields, so a handler gets past parsing to its access check.
fn attack_fields() -> Vec<(&'static str, &'static str)> {
    vec![
        ("title", "Pwned"),
        ("description", "pwned"),
        ("visibility", "public"),
        ("status", "done"),
        ("duration", "10m"),
        ("minutes", "10"),
        ("kind", "learn"),
        ("date", "2026-12-09"),
        ("note", "pwned"),
        ("notes", "pwned"),
        ("checked", "1"),
        ("url", "https://evil.example/x"),
        ("hours_per_week", "5"),
        ("start", "2026-12-07"),
        ("break", "sun"),
        ("breaks", "sun"),
        ("name", "pwned"),
        ("scope", "read-write"),
        ("direction", "up"),
        ("to_phase", "0"),
        ("id", "pwned"),
        ("hours", "1"),
        ("template", "ml-beginner-path"),
    ]
}

#[tokio::test]
async fn no_route_leaks_or_changes_another_persons_data() {
    let app = TestApp::new().await;
    let w = world(&app).await;
    let mut ada = w.ada.clone();
    let mut bob = app.learner("bob").await;
    let mut carol = w.carol.clone();
    let mut anonymous = app.client();
    let before = snapshot(&app, &w).await;
    let mut failures = Vec::new();

    for &(method, pattern, access) in ROUTES {
        for (path, visibility) in paths_for(pattern, &w) {
            for (who, relation, client) in [
                ("bob", Relation::Stranger, &mut bob),
                ("carol", Relation::Follower, &mut carol),
                ("anonymous", Relation::Stranger, &mut anonymous),
            ] {
                let shared = visibility.shows_to(relation);
                if who != "anonymous" && (path == "/signout" || path == "/settings/password") {
                    continue; // Their own session and password: tested in accounts.rs.
                }
                if who == "carol" && path == "/@ada/unfollow" {
                    continue; // Carol's own follow of Ada: tested in sharing.rs.
                }
                let resp = if method == "GET" {
                    client.get(&path).await
                } else {
                    client.get("/").await; // a fresh token of their own
                    client.post(&path, &attack_fields()).await
                };
                let status = resp.status;
                let allowed = match (access, method, who) {
                    (Public, _, _) => !status.is_server_error(),
                    (FeedToken, _, _) => status == StatusCode::OK, // the token is the authority
                    (SignedIn, _, "anonymous") => {
                        status == StatusCode::SEE_OTHER
                            && resp.location().is_some_and(|l| l.starts_with("/signin"))
                            || status == StatusCode::FORBIDDEN
                    }
                    (SignedIn, _, _) => !status.is_server_error(),
                    (Visible | VisibleSignedIn, "GET", _) if shared => {
                        status.is_success()
                            || (access == VisibleSignedIn
                                && who == "anonymous"
                                && status == StatusCode::SEE_OTHER)
                    }
                    (Visible | VisibleSignedIn, "POST", _) if shared && who != "anonymous" => {
                        !status.is_server_error()
                    }
                    (_, _, "anonymous") if method == "POST" => {
                        matches!(
                            status,
                            StatusCode::SEE_OTHER | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
                        ) && resp.location().is_none_or(|l| l.starts_with("/signin"))
                    }
                    (_, _, "anonymous") => {
                        status == StatusCode::NOT_FOUND
                            || status == StatusCode::SEE_OTHER
                                && resp.location().is_some_and(|l| l.starts_with("/signin"))
                    }
                    _ => matches!(status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
                };
                let leaked = access != FeedToken
                    && secrets_hidden_from(relation)
                        .iter()
                        .any(|s| resp.body.contains(s));
                if !allowed || leaked {
                    failures.push(format!(
                        "{who} {method} {path}: {status}{}",
                        if leaked {
                            " (leaked a title it must not show)"
                        } else {
                            ""
                        }
                    ));
                }
                let now = snapshot(&app, &w).await;
                if now != before && !(access == VisibleSignedIn && shared) {
                    failures.push(format!("{who} {method} {path} changed Ada's data"));
                }
            }
        }
    }
    // The owner can open every page of her own.
    for &(method, pattern, access) in ROUTES {
        if method != "GET" || access == FeedToken {
            continue;
        }
        for (path, _) in paths_for(pattern, &w) {
            let status = ada.get(&path).await.status;
            if !(status.is_success() || status == StatusCode::SEE_OTHER) {
                failures.push(format!("owner GET {path}: {status}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test]
async fn no_api_route_shows_a_private_object_to_another_token() {
    let app = TestApp::new().await;
    let w = world(&app).await;
    let bob = app.learner("bob").await;
    let _ = bob;
    let bob_id = app
        .db
        .user_by_handle(&Handle::parse("bob").unwrap())
        .await
        .unwrap()
        .unwrap()
        .id;
    let token = "bob-token-for-the-authorization-walk";
    app.db
        .create_token(
            bob_id,
            "walk",
            &autodidact_core::secrets::hash_token(token),
            TokenScope::ReadWrite,
            Timestamp::now(),
        )
        .await
        .unwrap();
    let mut client = app.client();
    let document = client.get("/api/openapi.json").await.json();
    let before = snapshot(&app, &w).await;
    let mut failures = Vec::new();
    for (pattern, operations) in document["paths"].as_object().unwrap() {
        for method in operations.as_object().unwrap().keys() {
            let method = method.to_uppercase();
            let ids: Vec<String> = if pattern.contains("/curricula/") {
                w.curricula
                    .iter()
                    .filter(|(v, _)| *v == Visibility::Private)
                    .map(|(_, id)| id.0.to_string())
                    .collect()
            } else if pattern.contains("/logs/") {
                vec![w.log.to_string()]
            } else if pattern.contains("/journal/") {
                w.posts.iter().map(|(_, id)| id.0.to_string()).collect()
            } else if pattern.contains("/profiles/") {
                // Ada's profile page is public: Bob gets it, and none of its followers' parts.
                vec![String::new()]
            } else if pattern.contains("/follows/") {
                vec![w.follow.0.to_string()]
            } else {
                vec![String::new()]
            };
            for id in ids {
                let path = pattern
                    .replace("{id}", &id)
                    .replace("{handle}", "ada")
                    .replace("{item}", w.item.as_str())
                    .replace("{evidence_id}", &w.evidence.to_string());
                for auth in [None, Some(token)] {
                    let mut request = axum::http::Request::builder()
                        .method(method.as_str())
                        .uri(&path)
                        .header("content-type", "application/json");
                    if let Some(t) = auth {
                        request = request.header("authorization", format!("Bearer {t}"));
                    }
                    // A body each endpoint reads, so that only its access rules can refuse.
                    let body = match (method.as_str(), pattern.as_str()) {
                        ("GET" | "DELETE", _) => String::new(),
                        (_, p) if p.ends_with("/curricula/{id}") => {
                            r#"{"visibility": "public", "toml": "title = \"Pwned\"\n[[phases]]\ntitle = \"P\"\nitems = [{ id = \"x\", kind = \"book\", title = \"X\", hours = 1 }]\n"}"#.to_owned()
                        }
                        (_, p) if p.ends_with("/follows/{id}") => r#"{"budget": "1"}"#.to_owned(),
                        (_, p) if p.ends_with("/items/{item}") => {
                            r#"{"status": "skipped", "notes": "pwned"}"#.to_owned()
                        }
                        (_, p) if p.ends_with("/evidence") => {
                            r#"{"kind": "post", "url": "https://evil.example/x"}"#.to_owned()
                        }
                        (_, p) if p.ends_with("/grades") => r#"{"grade": "again"}"#.to_owned(),
                        (_, p) if p.ends_with("/rating") => {
                            r#"{"rating": 0.5, "text": "pwned"}"#.to_owned()
                        }
                        (_, p) if p.ends_with("/upstream") => {
                            r#"{"fork_version": 1, "source_version": 1, "take_theirs": ["curriculum:title"]}"#
                                .to_owned()
                        }
                        (_, p) if p.contains("/journal") => {
                            r#"{"title": "Pwned", "body": "pwned", "visibility": "public"}"#
                                .to_owned()
                        }
                        _ => r#"{"minutes": 10, "kind": "learn", "note": "pwned"}"#.to_owned(),
                    };
                    let resp = client
                        .send(request.body(axum::body::Body::from(body)).unwrap())
                        .await;
                    let ok = match auth {
                        None => resp.status == StatusCode::UNAUTHORIZED,
                        Some(_) if path.contains(&id) && !id.is_empty() => {
                            matches!(resp.status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN)
                        }
                        Some(_) => !resp.status.is_server_error(),
                    };
                    let leaked = secrets_hidden_from(Relation::Stranger)
                        .iter()
                        .any(|s| resp.body.contains(s));
                    if !ok || leaked {
                        failures.push(format!(
                            "{} {method} {path}: {} {}",
                            if auth.is_some() { "bob" } else { "anonymous" },
                            resp.status,
                            resp.body
                        ));
                    }
                }
            }
        }
    }
    assert_eq!(
        snapshot(&app, &w).await,
        before,
        "an API call changed Ada's data"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
