//! The profile at `/@handle` and its privacy: private after sign-up, each section opening and
//! closing on its own, "see it as a stranger" equal to what a stranger gets for every
//! combination of settings, approved followers, and the journal.

use autodidact_core::curriculum::{ItemId, Minutes};
use autodidact_core::store::{
    CurriculumStore, EvidenceKind, FollowId, FollowStore, ItemStatus, LogKind, LogStore,
    NewJournalPost, NewLog, ProfileSettings, Section, SharingStore, TokenScope, User, Visibility,
};
use autodidact_store::testing::{CurriculumBuilder, FollowBuilder};
use axum::http::StatusCode;
use jiff::Timestamp;

use crate::api::{call, token};
use crate::support::{Client, TestApp};

/// The marker of each section in the profile's HTML.
fn section_id(section: Section) -> &'static str {
    match section {
        Section::Progress => "#progress",
        Section::Heatmap => "#heatmap",
        Section::Portfolio => "#portfolio",
        Section::Journal => "#journal",
        Section::Curricula => "#curricula",
        Section::Skills => "#skills",
    }
}

const PROJECT: &str = "kaggle-titanic";

struct Ada {
    user: User,
    client: Client,
    follow: FollowId,
}

/// Ada with something in every section: a public curriculum she follows (its progress
/// public), a finished project with evidence and skills, logged time and a public post.
async fn ada(app: &TestApp) -> Ada {
    let client = app.learner("ada").await;
    let user = app.user("ada").await;
    let template = autodidact_core::templates::find("deep-learning-in-six-months").unwrap();
    let record = CurriculumBuilder::new(&user, "Deep learning in six months")
        .source(template.source)
        .visibility(Visibility::Public)
        .create(&app.db)
        .await;
    let follow = FollowBuilder::new(&user, &record)
        .hours_per_week(20)
        .create(&app.db)
        .await;
    app.db
        .set_follow_visibility(follow.id, user.id, Visibility::Public, Timestamp::now())
        .await
        .unwrap();
    let item = ItemId::parse(PROJECT).unwrap();
    app.db
        .add_evidence(
            follow.id,
            user.id,
            &item,
            EvidenceKind::Notebook,
            "https://github.com/ada/titanic/blob/main/titanic.ipynb",
            "Titanic notebook",
            Timestamp::now(),
        )
        .await
        .unwrap();
    app.db
        .set_item_status(
            follow.id,
            user.id,
            &item,
            ItemStatus::Done,
            Timestamp::now(),
        )
        .await
        .unwrap();
    app.db
        .add_log(NewLog {
            user: user.id,
            follow: Some(follow.id),
            item: Some(item.clone()),
            minutes: Minutes::new(150),
            kind: LogKind::Build,
            day: user.today(Timestamp::now()),
            note: String::new(),
            idempotency_key: None,
            start_item: false,
            finish_item: false,
            now: Timestamp::now(),
        })
        .await
        .unwrap();
    app.db
        .add_journal_post(&NewJournalPost {
            author: user.id,
            title: "What the Titanic taught me".to_owned(),
            body: "Feature engineering beats tuning.".to_owned(),
            about: Some((follow.id, item)),
            visibility: Visibility::Public,
            now: Timestamp::now(),
        })
        .await
        .unwrap();
    Ada {
        user,
        client,
        follow: follow.id,
    }
}

async fn set(app: &TestApp, ada: &User, profile: Visibility, sections: &[(Section, Visibility)]) {
    let mut settings = ProfileSettings::default();
    settings.profile = profile;
    for (s, v) in sections {
        settings.set_section(*s, *v);
    }
    app.db
        .set_profile_settings(ada.id, &settings, Timestamp::now())
        .await
        .unwrap();
}

/// The sections shown on a profile page.
fn shown(resp: &crate::support::Resp) -> Vec<Section> {
    profile_content(resp).0
}

/// What the page shows of the learner, without the owner's own controls: the sections, in
/// order, as text.
fn visible_content(resp: &crate::support::Resp) -> Vec<String> {
    profile_content(resp).1
}

/// The sections shown and the text of everything the page shows of the learner, read with
/// one parse of the page.
fn profile_content(resp: &crate::support::Resp) -> (Vec<Section>, Vec<String>) {
    let html = resp.html();
    let text = |selector: &str| -> Vec<String> {
        let sel = scraper::Selector::parse(selector).unwrap();
        html.select(&sel)
            .map(|e| {
                e.text()
                    .collect::<String>()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    };
    let mut sections = Vec::new();
    let mut content = Vec::new();
    for s in Section::ALL {
        let found = text(section_id(s));
        if !found.is_empty() {
            sections.push(s);
        }
        content.extend(found);
    }
    content.extend(text(".profile-head h1"));
    content.extend(text(".bio"));
    (sections, content)
}

#[tokio::test]
async fn a_profile_is_private_after_sign_up() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let mut bob = app.learner("bob").await;
    let mut anonymous = app.client();
    assert_eq!(anonymous.get("/@ada").await.status, StatusCode::NOT_FOUND);
    assert_eq!(bob.get("/@ada").await.status, StatusCode::NOT_FOUND);
    let own = ada.get("/@ada").await;
    assert_eq!(own.status, StatusCode::OK);
    assert_eq!(own.headers["x-robots-tag"], "noindex");
    // Her own view says so, and "as a stranger" shows her the same 404 a stranger gets.
    assert_eq!(
        ada.get("/@ada?as=stranger").await.status,
        StatusCode::NOT_FOUND
    );
    let settings = ada.get("/settings/profile").await;
    assert_eq!(
        settings.attr("#profile option[selected]", "value").unwrap(),
        "private"
    );
    for s in Section::ALL {
        assert_eq!(
            settings
                .attr(
                    &format!("#section-{} option[selected]", s.as_str()),
                    "value"
                )
                .unwrap(),
            "private",
            "{s:?}"
        );
    }
}

#[tokio::test]
async fn each_section_opens_and_closes_on_its_own() {
    let app = TestApp::new().await;
    let ada = ada(&app).await;
    let mut anonymous = app.client();
    for section in Section::ALL {
        set(
            &app,
            &ada.user,
            Visibility::Public,
            &[(section, Visibility::Public)],
        )
        .await;
        let page = anonymous.get("/@ada").await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(shown(&page), vec![section], "only {section:?} is open");
        assert_eq!(page.headers["x-robots-tag"], "all");
        set(&app, &ada.user, Visibility::Public, &[]).await;
        let page = anonymous.get("/@ada").await;
        assert_eq!(
            shown(&page),
            Vec::<Section>::new(),
            "{section:?} closed again"
        );
    }
    // Everything open shows everything Ada has, each with its content.
    let all: Vec<_> = Section::ALL.map(|s| (s, Visibility::Public)).to_vec();
    set(&app, &ada.user, Visibility::Public, &all).await;
    let page = anonymous.get("/@ada").await;
    assert_eq!(shown(&page), Section::ALL.to_vec());
    assert!(
        page.text("#progress")
            .contains("Deep learning in six months")
    );
    assert!(page.text("#portfolio").contains("Titanic notebook"));
    assert!(page.text("#skills").contains("kaggle"));
    assert!(page.text("#skills").contains("2 h 30 min") || page.text("#skills").contains("2h"));
    assert!(page.text("#journal").contains("What the Titanic taught me"));
    assert!(page.text("#heatmap").contains("Study days"));
}

/// A small deterministic generator, so that a failing combination can be replayed.
fn combinations(seed: u64, n: usize) -> Vec<(Visibility, [Visibility; 6])> {
    let mut state = seed;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        Visibility::ALL[(state % 4) as usize]
    };
    (0..n)
        .map(|_| {
            let profile = next();
            (profile, std::array::from_fn(|_| next()))
        })
        .collect()
}

#[tokio::test]
async fn as_a_stranger_is_exactly_what_a_stranger_gets_for_every_combination_of_settings() {
    let app = TestApp::new().await;
    let mut ada = ada(&app).await;
    let mut anonymous = app.client();
    let mut bob = app.learner("bob").await;
    // Every section value with the profile public (4^6), and random ones over every profile
    // value besides.
    let mut cases: Vec<(Visibility, [Visibility; 6])> = (0..4096usize)
        .map(|n| {
            (
                Visibility::Public,
                std::array::from_fn(|i| Visibility::ALL[(n >> (2 * i)) & 3]),
            )
        })
        .collect();
    cases.extend(combinations(0x5eed, 400));
    let mut opened = 0;
    for (profile, sections) in cases {
        let pairs: Vec<_> = Section::ALL.into_iter().zip(sections).collect();
        set(&app, &ada.user, profile, &pairs).await;
        let preview = ada.client.get("/@ada?as=stranger").await;
        let real = anonymous.get("/@ada").await;
        let context = format!("profile {profile:?}, sections {sections:?}");
        assert_eq!(preview.status, real.status, "{context}");
        if real.status == StatusCode::OK {
            opened += 1;
            let (sections_shown, content) = profile_content(&real);
            assert_eq!(profile_content(&preview).1, content, "{context}");
            // A signed-in stranger gets what an anonymous one gets (checked on a sample).
            if opened % 64 == 1 {
                assert_eq!(visible_content(&bob.get("/@ada").await), content);
            }
            let expected: Vec<Section> = pairs
                .iter()
                .filter(|(_, v)| {
                    profile
                        .narrowest(*v)
                        .shows_to(autodidact_core::store::Relation::Stranger)
                })
                .map(|(s, _)| *s)
                .collect();
            assert_eq!(sections_shown, expected, "{context}");
        }
    }
    assert!(opened > 2000, "most combinations open the page: {opened}");
}

#[tokio::test]
async fn followers_see_what_is_open_to_followers_only_once_approved() {
    let app = TestApp::new().await;
    let mut ada = ada(&app).await;
    let all: Vec<_> = Section::ALL.map(|s| (s, Visibility::Followers)).to_vec();
    set(&app, &ada.user, Visibility::Unlisted, &all).await;
    let mut bob = app.learner("bob").await;
    // Bob sees the page (unlisted) but none of its sections.
    let page = bob.get("/@ada").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(shown(&page).is_empty());
    // He asks; until Ada approves, nothing more.
    let asked = bob.submit("/@ada", "/@ada/follow", &[]).await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER);
    let page = bob.get("/@ada").await;
    assert!(page.body.contains("waiting for @ada"));
    assert!(shown(&page).is_empty());
    // Asking twice is refused with words.
    let twice = bob.post("/@ada/follow", &[]).await;
    assert_eq!(twice.status, StatusCode::BAD_REQUEST);
    assert!(twice.body.contains("already asked"));
    let settings = ada.client.get("/settings/profile").await;
    assert!(
        settings
            .text("#followers")
            .contains("@bob asks to follow you")
    );
    let approved = ada
        .client
        .post("/settings/followers/bob/approve", &[])
        .await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER);
    let page = bob.get("/@ada").await;
    assert_eq!(shown(&page), Section::ALL.to_vec());
    // What Bob sees is what Ada's "as a follower" shows her.
    let preview = ada.client.get("/@ada?as=follower").await;
    assert_eq!(visible_content(&preview), visible_content(&page));
    // Ada removes him: he is a stranger again.
    ada.client.get("/settings/profile").await;
    let removed = ada.client.post("/settings/followers/bob/remove", &[]).await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    assert!(shown(&bob.get("/@ada").await).is_empty());
    // Nobody may follow themselves, and a private profile cannot be asked.
    let own = ada.client.submit("/@ada", "/@ada/follow", &[]).await;
    assert_eq!(own.status, StatusCode::BAD_REQUEST);
    set(&app, &ada.user, Visibility::Private, &all).await;
    let mut carol = app.learner("carol").await;
    carol.get("/").await;
    assert_eq!(
        carol.post("/@ada/follow", &[]).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_private_follow_or_curriculum_never_shows_its_progress_projects_skills_or_hours() {
    let app = TestApp::new().await;
    let ada = ada(&app).await;
    let all: Vec<_> = Section::ALL.map(|s| (s, Visibility::Public)).to_vec();
    set(&app, &ada.user, Visibility::Public, &all).await;
    let mut anonymous = app.client();
    let open = anonymous.get("/@ada").await;
    assert!(
        open.text("#heatmap").contains("2 h 30 min"),
        "{}",
        open.text("#heatmap")
    );
    // The follow's own value closes it everywhere at once: progress, portfolio, skills, the
    // heatmap's minutes and the post's link to the item.
    app.db
        .set_follow_visibility(
            ada.follow,
            ada.user.id,
            Visibility::Private,
            Timestamp::now(),
        )
        .await
        .unwrap();
    let page = anonymous.get("/@ada").await;
    assert!(
        !page
            .text("#progress")
            .contains("Deep learning in six months")
    );
    assert!(!page.text("#portfolio").contains("Titanic"));
    assert!(!page.text("#skills").contains("kaggle"));
    assert!(
        page.text("#heatmap").contains("no study"),
        "{}",
        page.text("#heatmap")
    );
    assert!(!page.text("#heatmap").contains("2 h 30 min"));
    // The curriculum itself is still public, so it is listed.
    assert!(
        page.text("#curricula")
            .contains("Deep learning in six months")
    );
    let post = page.attr("#journal a", "href").unwrap();
    let post = anonymous.get(&post).await;
    assert_eq!(post.status, StatusCode::OK);
    assert!(
        !post.body.contains("Kaggle Titanic"),
        "the item stays unnamed"
    );
}

#[tokio::test]
async fn journal_posts_are_written_edited_shown_as_set_and_deleted() {
    let app = TestApp::new().await;
    let mut ada = ada(&app).await;
    let journal = ada.client.get("/journal").await;
    assert_eq!(journal.status, StatusCode::OK);
    let about = format!("{}:{PROJECT}", ada.follow.0);
    // A post with no title is refused with words, and nothing is stored.
    let refused = ada
        .client
        .post(
            "/journal",
            &[
                ("title", " "),
                ("body", "x"),
                ("about", ""),
                ("visibility", "public"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text("#post-form").contains("Give the post a title"));
    // An item of someone else's follow is refused.
    let foreign = ada
        .client
        .post(
            "/journal",
            &[
                ("title", "T"),
                ("body", ""),
                ("about", "1:kaggle-titanic"),
                ("visibility", "public"),
            ],
        )
        .await;
    assert_eq!(foreign.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.db.journal_of(ada.user.id).await.unwrap().len(), 1);
    let written = ada
        .client
        .post(
            "/journal",
            &[
                ("title", "Week 3 <script>alert(1)</script>"),
                ("body", "**Bold** and <img src=x onerror=alert(1)>"),
                ("about", &about),
                ("visibility", "followers"),
            ],
        )
        .await;
    assert_eq!(written.status, StatusCode::SEE_OTHER);
    let url = written.location().unwrap().to_owned();
    let own = ada.client.get(&url).await;
    assert!(own.body.contains("<strong>Bold</strong>"));
    // Raw HTML is shown as text, never as markup.
    assert!(!own.body.contains("<script>alert"));
    assert!(
        own.html()
            .select(&scraper::Selector::parse("article img").unwrap())
            .next()
            .is_none()
    );
    assert!(own.text(".prose").contains("<img src=x onerror=alert(1)>"));
    assert!(own.text(".about").contains("Kaggle Titanic"));
    // The journal section is private: nobody else may read it, whatever the post says.
    let mut anonymous = app.client();
    assert_eq!(anonymous.get(&url).await.status, StatusCode::NOT_FOUND);
    set(
        &app,
        &ada.user,
        Visibility::Public,
        &[(Section::Journal, Visibility::Public)],
    )
    .await;
    assert_eq!(
        anonymous.get(&url).await.status,
        StatusCode::NOT_FOUND,
        "followers only"
    );
    // Edited to public, it shows; the follow's progress is private, so the item is unnamed.
    let edit = format!("{url}/edit");
    ada.client.get(&edit).await;
    let edited = ada
        .client
        .post(
            &edit,
            &[
                ("title", "Week 3"),
                ("body", "Now public"),
                ("about", &about),
                ("visibility", "public"),
            ],
        )
        .await;
    assert_eq!(edited.status, StatusCode::SEE_OTHER);
    app.db
        .set_follow_visibility(
            ada.follow,
            ada.user.id,
            Visibility::Private,
            Timestamp::now(),
        )
        .await
        .unwrap();
    let public = anonymous.get(&url).await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.body.contains("Now public"));
    assert!(public.texts(".about").is_empty());
    // Someone else cannot edit or delete it.
    let mut bob = app.learner("bob").await;
    bob.get("/").await;
    assert_eq!(
        bob.post(&format!("{url}/delete"), &[]).await.status,
        StatusCode::NOT_FOUND
    );
    ada.client.get(&edit).await;
    let deleted = ada.client.post(&format!("{url}/delete"), &[]).await;
    assert_eq!(deleted.location(), Some("/journal?saved=deleted"));
    assert_eq!(anonymous.get(&url).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_api_shows_a_profile_as_the_token_may_see_it_and_keeps_the_journal() {
    let app = TestApp::new().await;
    let ada = ada(&app).await;
    let all: Vec<_> = Section::ALL.map(|s| (s, Visibility::Public)).to_vec();
    set(
        &app,
        &ada.user,
        Visibility::Public,
        &[(Section::Portfolio, Visibility::Public)],
    )
    .await;
    app.learner("bob").await;
    let bob_id = app.user("bob").await.id;
    let bob = token(&app, bob_id, TokenScope::ReadWrite).await;
    let resp = call(&app, "GET", "/api/v1/profiles/ada", Some(&bob), None, &[]).await;
    assert_eq!(resp.status, StatusCode::OK);
    let profile = resp.json();
    assert_eq!(profile["relation"], "stranger");
    assert_eq!(
        profile["portfolio"][0]["evidence"][0]["title"],
        "Titanic notebook"
    );
    assert!(
        profile.get("journal").is_none(),
        "a closed section is absent"
    );
    set(&app, &ada.user, Visibility::Private, &all).await;
    let resp = call(&app, "GET", "/api/v1/profiles/ada", Some(&bob), None, &[]).await;
    assert_eq!(resp.status, StatusCode::NOT_FOUND);
    // Bob's own journal through the API.
    let made = call(
        &app,
        "POST",
        "/api/v1/journal",
        Some(&bob),
        Some(r#"{"title": "First", "body": "hello", "visibility": "unlisted"}"#),
        &[],
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED);
    let id = made.json()["id"].as_str().unwrap().to_owned();
    let bad = call(
        &app,
        "POST",
        "/api/v1/journal",
        Some(&bob),
        Some(r#"{"title": "", "body": ""}"#),
        &[],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let list = call(&app, "GET", "/api/v1/journal", Some(&bob), None, &[])
        .await
        .json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    let put = call(
        &app,
        "PUT",
        &format!("/api/v1/journal/{id}"),
        Some(&bob),
        Some(r#"{"title": "First, edited", "visibility": "public"}"#),
        &[],
    )
    .await;
    assert_eq!(put.status, StatusCode::OK);
    assert_eq!(put.json()["title"], "First, edited");
    let settings = call(&app, "GET", "/api/v1/profile", Some(&bob), None, &[])
        .await
        .json();
    assert_eq!(settings["profile"], "private");
    let gone = call(
        &app,
        "DELETE",
        &format!("/api/v1/journal/{id}"),
        Some(&bob),
        None,
        &[],
    )
    .await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
}

/// Everything a combination of settings lets the public see, from what it names.
struct Published {
    feed: Option<String>,
    site: Option<String>,
}

async fn published(app: &TestApp) -> Published {
    let mut anonymous = app.client();
    let feed = anonymous.get("/@ada/feed.xml").await;
    let feed = (feed.status == StatusCode::OK).then_some(feed.body);
    let cache = autodidact_core::follow::CurriculumCache::new();
    let handle = autodidact_core::accounts::Handle::parse("ada").unwrap();
    let site = match autodidact_core::sharing::load_public_profile(
        &app.db,
        &cache,
        &handle,
        Timestamp::now(),
    )
    .await
    {
        Ok(profile) => Some(
            autodidact_web::build_site(&profile, Timestamp::now())
                .unwrap()
                .iter()
                .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        Err(autodidact_core::sharing::ProfileError::NotPublic) => None,
        Err(e) => panic!("{e}"),
    };
    Published { feed, site }
}

#[tokio::test]
async fn nothing_but_what_is_public_reaches_the_feed_or_the_site_for_any_settings() {
    let app = TestApp::new().await;
    let ada = ada(&app).await;
    let post = app.db.journal_of(ada.user.id).await.unwrap()[0].clone();
    let curriculum = app.db.follow(ada.follow).await.unwrap().unwrap().curriculum;
    let mut checked = 0;
    for (profile, [progress, heatmap, portfolio, journal, curricula, skills]) in
        combinations(0xfeed, 160)
    {
        let pairs = [
            (Section::Progress, progress),
            (Section::Heatmap, heatmap),
            (Section::Portfolio, portfolio),
            (Section::Journal, journal),
            (Section::Curricula, curricula),
            (Section::Skills, skills),
        ];
        set(&app, &ada.user, profile, &pairs).await;
        // The post, the follow and the curriculum take values from the same stream.
        let [post_v, follow_v, curriculum_v] = [journal, heatmap, portfolio].map(|v| {
            Visibility::ALL[(Visibility::ALL.iter().position(|x| *x == v).unwrap() + 1) % 4]
        });
        app.db
            .update_journal_post(
                post.id,
                &NewJournalPost {
                    author: ada.user.id,
                    title: post.title.clone(),
                    body: post.body.clone(),
                    about: post.about.clone(),
                    visibility: post_v,
                    now: Timestamp::now(),
                },
            )
            .await
            .unwrap();
        app.db
            .set_follow_visibility(ada.follow, ada.user.id, follow_v, Timestamp::now())
            .await
            .unwrap();
        app.db
            .set_curriculum_visibility(curriculum, ada.user.id, curriculum_v, Timestamp::now())
            .await
            .unwrap();
        let public = |v: Visibility| v == Visibility::Public;
        let post_out = public(profile) && public(journal) && public(post_v);
        let done_out =
            public(profile) && public(progress) && public(follow_v) && public(curriculum_v);
        let out = published(&app).await;
        let context = format!(
            "profile {profile:?}, sections {pairs:?}, post {post_v:?}, follow {follow_v:?}, curriculum {curriculum_v:?}"
        );
        assert_eq!(out.feed.is_some(), public(profile), "{context}");
        assert_eq!(out.site.is_some(), public(profile), "{context}");
        for text in out.feed.iter().chain(out.site.iter()) {
            checked += 1;
            assert_eq!(text.contains(&post.title), post_out, "the post: {context}");
            // The site holds its own feed, so both name the finished item alike.
            assert_eq!(
                text.contains("Finished: Kaggle Titanic"),
                done_out,
                "the finished item: {context}"
            );
            // The finished item's evidence and the curriculum's title never leak from a
            // follow or curriculum that is not public.
            if !(public(follow_v) && public(curriculum_v)) {
                assert!(!text.contains("Titanic notebook"), "evidence: {context}");
                assert!(!text.contains("Kaggle Titanic"), "the item: {context}");
            }
            if !public(curriculum_v) {
                assert!(!text.contains("Deep learning in six months"), "{context}");
            }
        }
    }
    assert!(checked > 20, "some combinations publish: {checked}");
}

#[tokio::test]
async fn a_public_profile_has_open_graph_cards_and_its_feed_is_linked() {
    let app = TestApp::new().await;
    let ada = ada(&app).await;
    let all: Vec<_> = Section::ALL.map(|s| (s, Visibility::Public)).to_vec();
    set(&app, &ada.user, Visibility::Public, &all).await;
    let mut anonymous = app.client();
    let page = anonymous.get("/@ada").await;
    assert_eq!(
        page.attr("meta[property='og:title']", "content").unwrap(),
        "ada Lovelace (@ada)"
    );
    assert!(
        page.attr("meta[property='og:url']", "content")
            .unwrap()
            .ends_with("/@ada")
    );
    assert_eq!(
        page.attr("link[type='application/atom+xml']", "href")
            .unwrap(),
        "/@ada/feed.xml"
    );
    let feed = anonymous.get("/@ada/feed.xml").await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(
        feed.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/atom+xml")
    );
    assert!(feed.body.starts_with("<?xml"));
    assert!(
        feed.body
            .contains("<title>What the Titanic taught me</title>")
    );
    assert!(
        feed.body
            .contains("Finished: Kaggle Titanic classification challenge")
    );
    // An unlisted profile has no feed: a feed is a list.
    set(&app, &ada.user, Visibility::Unlisted, &all).await;
    assert_eq!(
        anonymous.get("/@ada/feed.xml").await.status,
        StatusCode::NOT_FOUND
    );
    assert!(
        anonymous
            .get("/@ada")
            .await
            .attr("link[type='application/atom+xml']", "href")
            .is_none()
    );
    // The settings' download is the site, zipped.
    set(&app, &ada.user, Visibility::Public, &all).await;
    let mut owner = ada.client.clone();
    let zip = owner.get("/settings/profile/site.zip").await;
    assert_eq!(zip.status, StatusCode::OK);
    assert_eq!(zip.headers["content-type"], "application/zip");
    assert!(zip.body.as_bytes().starts_with(b"PK"));
}

#[tokio::test]
async fn a_notebook_gets_its_runnable_links_and_every_evidence_says_when_it_was_last_checked() {
    let app = TestApp::new().await;
    let ada = ada(&app).await;
    let all: Vec<_> = Section::ALL.map(|s| (s, Visibility::Public)).to_vec();
    set(&app, &ada.user, Visibility::Public, &all).await;
    let mut anonymous = app.client();
    let page = anonymous.get("/@ada").await;
    assert_eq!(
        page.attrs("#portfolio .notebook-links a", "href"),
        [
            "https://colab.research.google.com/github/ada/titanic/blob/main/titanic.ipynb",
            "https://mybinder.org/v2/gh/ada/titanic/main?labpath=titanic.ipynb",
            "https://nbviewer.org/github/ada/titanic/blob/main/titanic.ipynb",
        ]
    );
    assert!(
        page.text("#portfolio .link-check")
            .contains("not checked yet")
    );
    // A check kept by `autodidact links check` is shown; the page itself fetches nothing.
    app.db
        .record_link_check(&autodidact_core::store::LinkCheck {
            url: "https://github.com/ada/titanic/blob/main/titanic.ipynb".to_owned(),
            status: autodidact_core::store::LinkStatus::Broken(404),
            checked_at: "2026-12-05T10:00:00Z".parse().unwrap(),
        })
        .await
        .unwrap();
    let page = anonymous.get("/@ada").await;
    assert!(
        page.text("#portfolio .link-check.broken")
            .contains("broken (404), checked 2026-12-05"),
        "{}",
        page.text("#portfolio")
    );
}

#[tokio::test]
async fn showing_a_follows_progress_shows_its_curriculum_at_least_as_widely() {
    let app = TestApp::new().await;
    let mut ada = ada(&app).await;
    let curriculum = app.db.follow(ada.follow).await.unwrap().unwrap().curriculum;
    app.db
        .set_curriculum_visibility(
            curriculum,
            ada.user.id,
            Visibility::Private,
            Timestamp::now(),
        )
        .await
        .unwrap();
    app.db
        .set_follow_visibility(
            ada.follow,
            ada.user.id,
            Visibility::Private,
            Timestamp::now(),
        )
        .await
        .unwrap();
    let all: Vec<_> = Section::ALL.map(|s| (s, Visibility::Public)).to_vec();
    set(&app, &ada.user, Visibility::Public, &all).await;
    let mut anonymous = app.client();
    assert!(
        !anonymous
            .get("/@ada")
            .await
            .text("#progress")
            .contains("Deep learning")
    );
    // One choice on the settings page: the progress, public.
    let action = format!("/settings/profile/follows/{}", ada.follow.0);
    let saved = ada
        .client
        .submit("/settings/profile", &action, &[("visibility", "public")])
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let record = app.db.curriculum(curriculum).await.unwrap().unwrap();
    assert_eq!(
        record.visibility,
        Visibility::Public,
        "the curriculum it names opened too"
    );
    assert!(
        anonymous
            .get("/@ada")
            .await
            .text("#progress")
            .contains("Deep learning in six months")
    );
    // Narrowing the progress leaves the curriculum as it is.
    ada.client
        .submit("/settings/profile", &action, &[("visibility", "followers")])
        .await;
    let record = app.db.curriculum(curriculum).await.unwrap().unwrap();
    assert_eq!(record.visibility, Visibility::Public);
    assert!(
        !anonymous
            .get("/@ada")
            .await
            .text("#progress")
            .contains("Deep learning")
    );
}
