//! What crowd hours are made from, on both backends: the follows of a curriculum and of its
//! copies, by learners who opted in, with the item done and time logged; one sample a follow,
//! with its building time and whether it has evidence. Learners who did not opt in, who did
//! not finish, or who follow an unrelated curriculum are not in it. And reviews: one per follow
//! and item, rewritten in place, read across the lineage with the reviewer's hours.

use autodidact_core::crowd::crowd_hours;
use autodidact_core::curriculum::Minutes;
use autodidact_core::store::{
    CrowdStore, CurriculumRecord, EvidenceKind, FollowStore, ForkOf, ItemStatus, Lineage, LogKind,
    LogStore, ProfileSettings, SharingStore, User,
};
use autodidact_core::store::{
    CurriculumStore, HalfStars, ItemReviewStore, NewItemReview, StoreError,
};
use autodidact_store::testing::{CurriculumBuilder, TestDb, backends};

use crate::fixtures::{Learner, at, item, new_follow, new_log, on_item};

const SOURCE: &str = r#"title = "Statistics"
[[phases]]
title = "One"
items = [
  { id = "book", kind = "book", title = "The book", hours = 30 },
  { id = "next", kind = "course", title = "The next", hours = 10 },
]
"#;

/// `user` copies `source`, follows the copy, logs `hours` on the book (two of them as building
/// when `building`), and marks it `status`; `crowd` is their choice to count.
async fn learner_on(
    db: &TestDb,
    user: &User,
    source: &CurriculumRecord,
    hours: u32,
    status: ItemStatus,
    crowd: bool,
    building: bool,
) -> autodidact_core::store::Follow {
    let mut copy = CurriculumBuilder::new(user, "x").source(SOURCE).build();
    copy.lineage = Lineage::Fork(ForkOf {
        source: source.id,
        version: 1,
        owner: source.owner,
        owner_handle: autodidact_core::accounts::Handle::parse("ada").unwrap(),
        title: source.title.clone(),
        base: source.source.clone(),
    });
    let (_, follow) = db
        .follow_copy(copy, new_follow(user, source))
        .await
        .unwrap();
    // At most ten hours a day, as a day holds at most 24; the last two as building when asked.
    let learning = if building { hours - 2 } else { hours };
    let mut day = jiff::civil::date(2026, 3, 1);
    let mut left = learning;
    while left > 0 {
        let h = left.min(10);
        let log = on_item(new_log(user, h * 60, &day.to_string()), &follow, "book");
        db.add_log(log).await.unwrap();
        left -= h;
        day = day.tomorrow().unwrap();
    }
    if building {
        let mut log = on_item(new_log(user, 120, &day.to_string()), &follow, "book");
        log.kind = LogKind::Build;
        db.add_log(log).await.unwrap();
    }
    db.set_item_status(follow.id, user.id, &item("book"), status, at(40))
        .await
        .unwrap();
    if building {
        db.add_evidence(
            follow.id,
            user.id,
            &item("book"),
            EvidenceKind::Notebook,
            "https://github.com/x/y/blob/main/a.ipynb",
            "",
            at(41),
        )
        .await
        .unwrap();
    }
    let mut settings = ProfileSettings::default();
    settings.crowd = crowd;
    db.set_profile_settings(user.id, &settings, at(42))
        .await
        .unwrap();
    follow
}

#[tokio::test]
async fn thirty_opted_in_finishers_are_counted_and_no_one_else() {
    for db in backends().await {
        let ada = Learner::new("ada").create(&db).await;
        let source = CurriculumBuilder::new(&ada, "x")
            .source(SOURCE)
            .public()
            .create(&db)
            .await;
        let other = CurriculumBuilder::new(&ada, "x")
            .source(&SOURCE.replace("Statistics", "Unrelated"))
            .public()
            .create(&db)
            .await;
        // 30 who count: 11 h, 12 h, …, 40 h; the last five with exercises and evidence.
        for n in 0..30u32 {
            let user = Learner::new(&format!("in{n:02}")).create(&db).await;
            learner_on(&db, &user, &source, 11 + n, ItemStatus::Done, true, n >= 25).await;
        }
        // Who must not count: opted out, not finished, skipped, another curriculum.
        let out = Learner::new("optedout").create(&db).await;
        learner_on(&db, &out, &source, 500, ItemStatus::Done, false, false).await;
        let doing = Learner::new("stilldoing").create(&db).await;
        learner_on(&db, &doing, &source, 500, ItemStatus::Doing, true, false).await;
        let skipped = Learner::new("skipper").create(&db).await;
        learner_on(
            &db,
            &skipped,
            &source,
            500,
            ItemStatus::Skipped,
            true,
            false,
        )
        .await;
        let elsewhere = Learner::new("elsewhere").create(&db).await;
        learner_on(&db, &elsewhere, &other, 500, ItemStatus::Done, true, false).await;

        let samples = db
            .crowd_samples(source.id, &item("book"), None)
            .await
            .unwrap();
        assert_eq!(samples.len(), 30, "{samples:?}");
        assert!(samples.iter().all(|s| s.minutes < Minutes::from_hours(500)));
        assert_eq!(samples.iter().filter(|s| s.evidence).count(), 5);
        assert!(
            samples
                .iter()
                .filter(|s| s.evidence)
                .all(|s| s.building == Minutes::from_hours(2))
        );
        let c = crowd_hours(&samples).unwrap();
        assert_eq!(c.all.learners, 30);
        assert_eq!(c.all.median, Minutes::new(25 * 60 + 30));
        assert_eq!(
            (c.all.low, c.all.high),
            (Minutes::new(18 * 60 + 15), Minutes::new(32 * 60 + 45))
        );
        assert!(
            db.crowd_samples(source.id, &item("next"), None)
                .await
                .unwrap()
                .is_empty(),
            "no one finished the next item"
        );
    }
}

#[tokio::test]
async fn reviews_are_kept_per_follow_and_item_and_read_across_the_lineage() {
    for db in backends().await {
        let ada = Learner::new("ada").create(&db).await;
        let source = CurriculumBuilder::new(&ada, "x")
            .source(SOURCE)
            .public()
            .create(&db)
            .await;
        let other = CurriculumBuilder::new(&ada, "x")
            .source(&SOURCE.replace("Statistics", "Unrelated"))
            .public()
            .create(&db)
            .await;
        let bob = Learner::new("bobby").create(&db).await;
        let bobs = learner_on(&db, &bob, &source, 7, ItemStatus::Done, false, false).await;
        let cy = Learner::new("cyril").create(&db).await;
        let cys = learner_on(&db, &cy, &source, 3, ItemStatus::Doing, true, false).await;
        let dee = Learner::new("deena").create(&db).await;
        let dees = learner_on(&db, &dee, &other, 3, ItemStatus::Done, true, false).await;
        let review =
            |follow: &autodidact_core::store::Follow, halves, text: &str, t| NewItemReview {
                follow: follow.id,
                item: item("book"),
                rating: HalfStars::new(halves).unwrap(),
                text: text.to_owned(),
                tip: String::new(),
                now: at(t),
            };
        let first = db
            .save_item_review(review(&bobs, 6, "ok", 50))
            .await
            .unwrap();
        assert_eq!(first.logged, Minutes::from_hours(7));
        assert!(first.finished);
        assert_eq!(first.handle.as_str(), "bobby");
        let edited = db
            .save_item_review(review(&bobs, 9, "better", 60))
            .await
            .unwrap();
        assert_eq!(
            (edited.rating.halves(), edited.text.as_str()),
            (9, "better")
        );
        assert_eq!(
            edited.created_at, first.created_at,
            "an edit keeps the first day"
        );
        assert_eq!(edited.updated_at, at(60));
        db.save_item_review(review(&cys, 4, "hard", 70))
            .await
            .unwrap();
        db.save_item_review(review(&dees, 2, "elsewhere", 80))
            .await
            .unwrap();

        let read = db.item_reviews(source.id, &item("book")).await.unwrap();
        let who: Vec<_> = read
            .iter()
            .map(|r| (r.handle.as_str(), r.finished))
            .collect();
        assert_eq!(
            who,
            vec![("cyril", false), ("bobby", true)],
            "newest first, lineage only"
        );
        assert_eq!(db.item_reviews_by(bob.id).await.unwrap().len(), 1);

        db.delete_item_review(bobs.id, &item("book")).await.unwrap();
        assert!(matches!(
            db.delete_item_review(bobs.id, &item("book")).await,
            Err(StoreError::NotFound)
        ));
        assert_eq!(
            db.item_reviews(source.id, &item("book"))
                .await
                .unwrap()
                .len(),
            1
        );
    }
}

#[tokio::test]
async fn onward_lists_opted_in_finishers_with_whether_they_finished_the_next_item() {
    for db in backends().await {
        let ada = Learner::new("ada").create(&db).await;
        let source = CurriculumBuilder::new(&ada, "x")
            .source(SOURCE)
            .public()
            .create(&db)
            .await;
        for (n, (crowd, status, next)) in [
            (true, ItemStatus::Done, true),
            (true, ItemStatus::Done, false),
            (false, ItemStatus::Done, true),
            (true, ItemStatus::Doing, true),
        ]
        .into_iter()
        .enumerate()
        {
            let user = Learner::new(&format!("learner{n}")).create(&db).await;
            let follow = learner_on(&db, &user, &source, 2, status, crowd, false).await;
            if next {
                db.set_item_status(follow.id, user.id, &item("next"), ItemStatus::Done, at(45))
                    .await
                    .unwrap();
            }
        }
        let mut rows: Vec<_> = db
            .onward(source.id, &item("book"), &item("next"))
            .await
            .unwrap()
            .into_iter()
            .map(|o| o.finished_next)
            .collect();
        rows.sort_unstable();
        assert_eq!(
            rows,
            vec![false, true],
            "the opted-out and the unfinished are left out"
        );
    }
}

const LINKED: &str = r#"title = "Deep learning"
[[phases]]
title = "One"
items = [
  { id = "nn-zero-to-hero", kind = "video", title = "Zero to hero", hours = 20, url = "https://www.youtube.com/watch?v=VMj-3S1tku0&list=PL1" },
  { id = "other", kind = "book", title = "Other", hours = 5, url = "https://example.com/other" },
]
"#;

const ALSO_LINKED: &str = r#"title = "Neural networks, my way"
[[phases]]
title = "Only"
items = [{ id = "karpathy", kind = "course", title = "Karpathy's course", hours = 30, url = "https://youtu.be/VMj-3S1tku0?si=share" }]
"#;

/// `user` follows `curriculum` and finishes `item` with `hours` logged, opted in.
async fn finished(db: &TestDb, user: &User, curriculum: &CurriculumRecord, id: &str, hours: u32) {
    let follow = db
        .create_follow(new_follow(user, curriculum))
        .await
        .unwrap();
    let log = on_item(new_log(user, hours * 60, "2026-03-02"), &follow, id);
    db.add_log(log).await.unwrap();
    db.set_item_status(follow.id, user.id, &item(id), ItemStatus::Done, at(40))
        .await
        .unwrap();
    let mut settings = ProfileSettings::default();
    settings.crowd = true;
    db.set_profile_settings(user.id, &settings, at(42))
        .await
        .unwrap();
}

#[tokio::test]
async fn the_same_resource_in_an_unrelated_curriculum_counts_by_its_address() {
    for db in backends().await {
        let ada = Learner::new("ada").create(&db).await;
        let source = CurriculumBuilder::new(&ada, "x")
            .source(LINKED)
            .public()
            .create(&db)
            .await;
        let zed = Learner::new("zedd").create(&db).await;
        let unrelated = CurriculumBuilder::new(&zed, "x")
            .source(ALSO_LINKED)
            .public()
            .create(&db)
            .await;
        // The same video in a private curriculum never counts.
        let hidden = CurriculumBuilder::new(&zed, "x")
            .source(&ALSO_LINKED.replace("my way", "hidden"))
            .create(&db)
            .await;
        let dora = Learner::new("dora").create(&db).await;
        finished(&db, &dora, &hidden, "karpathy", 9).await;
        let bobby = Learner::new("bobby").create(&db).await;
        finished(&db, &bobby, &source, "nn-zero-to-hero", 4).await;
        let carol = Learner::new("carol").create(&db).await;
        finished(&db, &carol, &unrelated, "karpathy", 6).await;

        let address =
            autodidact_core::crowd::resource_address("https://youtube.com/watch?v=VMj-3S1tku0");
        let samples = |address: Option<String>| {
            let db = &db;
            let source = &source;
            async move {
                let mut hours: Vec<u32> = db
                    .crowd_samples(source.id, &item("nn-zero-to-hero"), address.as_deref())
                    .await
                    .unwrap()
                    .iter()
                    .map(|s| s.minutes.get() / 60)
                    .collect();
                hours.sort_unstable();
                hours
            }
        };
        assert_eq!(samples(None).await, vec![4], "the lineage alone");
        assert_eq!(
            samples(address.clone()).await,
            vec![4, 6],
            "and the same video elsewhere"
        );

        // The index follows the source: a new link elsewhere, and it no longer counts.
        db.update_curriculum(
            unrelated.id,
            zed.id,
            "Neural networks, my way",
            &ALSO_LINKED.replace("youtu.be/VMj-3S1tku0", "youtu.be/another"),
            at(50),
        )
        .await
        .unwrap();
        assert_eq!(samples(address.clone()).await, vec![4]);
        // Deleting the curriculum takes its addresses with it.
        db.delete_curriculum(unrelated.id, zed.id).await.unwrap();
        assert_eq!(samples(address).await, vec![4]);
        assert!(db.verify().await.unwrap().is_sound());
    }
}

#[tokio::test]
async fn the_migration_indexes_the_addresses_of_what_was_stored_before() {
    for db in autodidact_store::testing::backends_at(18).await {
        let ada = Learner::new("ada").create(&db).await;
        let source = crate::fixtures::curriculum_before(&db, 81, &ada, LINKED, None).await;
        let zed = Learner::new("zedd").create(&db).await;
        // `curriculum_before` makes an original public.
        crate::fixtures::curriculum_before(&db, 82, &zed, ALSO_LINKED, None).await;
        db.migrate().await.unwrap();
        let carol = Learner::new("carol").create(&db).await;
        let unrelated = db
            .curriculum(autodidact_core::store::CurriculumId(82))
            .await
            .unwrap()
            .unwrap();
        finished(&db, &carol, &unrelated, "karpathy", 6).await;
        let address = autodidact_core::crowd::resource_address("https://youtu.be/VMj-3S1tku0");
        let found = db
            .crowd_samples(source.id, &item("nn-zero-to-hero"), address.as_deref())
            .await
            .unwrap();
        assert_eq!(found.len(), 1, "{found:?}");
    }
}
