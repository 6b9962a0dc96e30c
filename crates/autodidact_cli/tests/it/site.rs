//! `autodidact site`: the public profile as a static site, written whole into a new folder
//! (or over a site written before), with only what is public.

use autodidact_core::curriculum::ItemId;
use autodidact_core::store::{
    CurriculumStore, EvidenceKind, FollowStore, ItemStatus, NewJournalPost, ProfileSettings,
    Section, SharingStore, Visibility,
};
use jiff::Timestamp;

use crate::fixtures::{DEEP_LEARNING, ada, follow, open};
use crate::{autodidact, stderr, stdout};

/// @ada: her profile public in every part, the curriculum she follows and its progress
/// public, the course done with a notebook as evidence, a public post and a private one.
async fn fixture(url: &str, open_profile: bool) {
    let db = open(url).await;
    let now = Timestamp::now();
    let ada = ada(&db).await;
    let (curriculum, follow) = follow(&db, ada, DEEP_LEARNING, jiff::civil::date(2026, 1, 5)).await;
    db.set_curriculum_visibility(curriculum, ada, Visibility::Public, now)
        .await
        .unwrap();
    db.set_follow_visibility(follow, ada, Visibility::Public, now)
        .await
        .unwrap();
    let course = ItemId::parse("fast-ai-part-1").unwrap();
    db.add_evidence(
        follow,
        ada,
        &course,
        EvidenceKind::Notebook,
        "https://github.com/ada/dl/blob/main/lesson1.ipynb",
        "Lesson 1 notebook",
        now,
    )
    .await
    .unwrap();
    db.set_item_status(follow, ada, &course, ItemStatus::Done, now)
        .await
        .unwrap();
    for (title, visibility) in [
        ("A public week", Visibility::Public),
        ("A private worry", Visibility::Private),
    ] {
        db.add_journal_post(&NewJournalPost {
            author: ada,
            title: title.to_owned(),
            body: format!("{title}, in **Markdown**."),
            about: None,
            visibility,
            now,
        })
        .await
        .unwrap();
    }
    let mut settings = ProfileSettings::default();
    if open_profile {
        settings.profile = Visibility::Public;
        for s in Section::ALL {
            settings.set_section(s, Visibility::Public);
        }
    }
    db.set_profile_settings(ada, &settings, now).await.unwrap();
    db.close().await;
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().unwrap()
}

#[test]
fn site_writes_the_public_profile_and_only_it_into_a_folder_of_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("autodidact.db").display());
    runtime().block_on(fixture(&url, true));
    let out = autodidact(
        dir.path(),
        &[
            "site",
            "--user",
            "ada",
            "--out",
            "ada-site",
            "--database-url",
            &url,
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("open "), "{}", stdout(&out));
    let site = dir.path().join("ada-site");
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(index.contains("A public week"));
    assert!(!index.contains("A private worry"));
    assert!(index.contains("Lesson 1 notebook"));
    let feed = std::fs::read_to_string(site.join("feed.xml")).unwrap();
    assert!(feed.contains("<title>A public week</title>"));
    assert!(feed.contains("Finished: Practical Deep Learning"));
    assert!(!feed.contains("private worry"));
    let resume: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.join("resume.json")).unwrap()).unwrap();
    assert_eq!(resume["basics"]["label"], "@ada");
    assert!(site.join("style.css").exists());
    let posts: Vec<_> = std::fs::read_dir(site.join("posts")).unwrap().collect();
    assert_eq!(posts.len(), 1, "one page per public post");
    // Every relative link of every page names a file of the site.
    for page in walk(&site)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
    {
        let html = std::fs::read_to_string(&page).unwrap();
        for link in relative_links(&html) {
            let target = page.parent().unwrap().join(&link);
            assert!(
                target.exists(),
                "{} links to missing {link}",
                page.display()
            );
        }
    }
    if let Ok(keep) = std::env::var("AUTODIDACT_KEEP_SITE") {
        // For CI's HTML validator and link checker.
        let keep = std::path::Path::new(&keep);
        let _ = std::fs::remove_dir_all(keep);
        copy_dir(&site, keep);
    }

    // Written again, it replaces itself.
    let again = autodidact(
        dir.path(),
        &[
            "site",
            "--user",
            "ada",
            "--out",
            "ada-site",
            "--database-url",
            &url,
        ],
    );
    assert!(again.status.success(), "{}", stderr(&again));
    // A folder holding anything else is refused, and left as it was.
    let other = dir.path().join("photos");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("cat.jpg"), b"meow").unwrap();
    let refused = autodidact(
        dir.path(),
        &[
            "site",
            "--user",
            "ada",
            "--out",
            "photos",
            "--database-url",
            &url,
        ],
    );
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("not empty"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(std::fs::read(other.join("cat.jpg")).unwrap(), b"meow");
    // An unknown learner says so.
    let unknown = autodidact(
        dir.path(),
        &[
            "site",
            "--user",
            "nobody",
            "--out",
            "n",
            "--database-url",
            &url,
        ],
    );
    assert!(
        stderr(&unknown).contains("no learner @nobody"),
        "{}",
        stderr(&unknown)
    );
}

#[test]
fn site_refuses_a_profile_that_is_not_public_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("autodidact.db").display());
    runtime().block_on(fixture(&url, false));
    let out = autodidact(
        dir.path(),
        &[
            "site",
            "--user",
            "ada",
            "--out",
            "ada-site",
            "--database-url",
            &url,
        ],
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("not public"), "{}", stderr(&out));
    assert!(!dir.path().join("ada-site").exists());
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// The `href` and `src` values of a page that are neither absolute nor fragments.
fn relative_links(html: &str) -> Vec<String> {
    let mut links = Vec::new();
    for attr in ["href=\"", "src=\""] {
        for part in html.split(attr).skip(1) {
            let value = part.split('"').next().unwrap_or_default();
            let external = value.contains("://") || value.starts_with("mailto:");
            if !external && !value.starts_with('#') && !value.is_empty() {
                links.push(value.split('#').next().unwrap_or_default().to_owned());
            }
        }
    }
    links
}
