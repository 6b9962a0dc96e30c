//! The public listing's storage: each curriculum's figures written with its source, the counts
//! of followers and finishers the database keeps through every write path (a copy, a board
//! move, an edit, deleting a follow, a copy or an account), the search and its filters, and the
//! migration that summarises what was stored before, on both backends.

use autodidact_core::accounts::Handle;
use autodidact_core::curriculum::{ItemKind, Minutes};
use autodidact_core::store::{
    AccountDataStore, CurriculumId, CurriculumStore, ExploreFilter, ExploreSort, ExploreStore,
    FollowStore, ForkOf, ItemStatus, Lineage, Visibility,
};
use autodidact_store::testing::{CurriculumBuilder, TestDb, backends, backends_at};

use crate::fixtures::{Learner, at, curriculum_before, item, new_follow};

const SOURCE: &str = r#"title = "Deep learning, 50% practical"
hours_per_week = 10
[[phases]]
title = "One"
items = [
  { id = "course", kind = "course", title = "A course", hours = 30, skills = ["Python", "linear algebra"] },
  { id = "proj", kind = "project", title = "A project", hours = 15, skills = ["PyTorch"] },
]
"#;

const THREE_ITEMS: &str = r#"title = "Deep learning, 50% practical"
[[phases]]
title = "One"
items = [
  { id = "course", kind = "course", title = "A course", hours = 30 },
  { id = "proj", kind = "project", title = "A project", hours = 15 },
  { id = "paper", kind = "paper", title = "A paper", hours = 3 },
]
"#;

fn all_public() -> ExploreFilter {
    ExploreFilter {
        limit: 100,
        ..ExploreFilter::default()
    }
}

async fn titles(db: &TestDb, filter: ExploreFilter) -> Vec<String> {
    db.explore(&filter)
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.title)
        .collect()
}

async fn counts(db: &TestDb, id: CurriculumId) -> (u32, u32) {
    db.follower_counts(id).await.unwrap().unwrap()
}

fn copy_lineage(source: &autodidact_core::store::CurriculumRecord) -> Lineage {
    Lineage::Fork(ForkOf {
        source: source.id,
        version: source.version,
        owner: source.owner,
        owner_handle: Handle::parse("ada").unwrap(),
        title: source.title.clone(),
        base: source.source.clone(),
    })
}

#[tokio::test]
async fn only_public_curricula_are_listed_with_the_figures_of_their_source() {
    for db in backends().await {
        let ada = Learner::new("ada").create(&db).await;
        let public = CurriculumBuilder::new(&ada, "x")
            .source(SOURCE)
            .public()
            .at(at(10))
            .create(&db)
            .await;
        for v in [
            Visibility::Private,
            Visibility::Followers,
            Visibility::Unlisted,
        ] {
            CurriculumBuilder::new(&ada, &format!("{v:?} one"))
                .visibility(v)
                .create(&db)
                .await;
        }
        let listed = db.explore(&all_public()).await.unwrap();
        assert_eq!(listed.len(), 1, "{listed:?}");
        let one = &listed[0];
        assert_eq!((one.id, one.owner_handle.as_str()), (public.id, "ada"));
        assert_eq!(one.summary.items, 2);
        assert_eq!(one.summary.total, Minutes::from_hours(45));
        assert_eq!(one.summary.weekly, Some(Minutes::from_hours(10)));
        assert_eq!(one.summary.kinds, [ItemKind::Course, ItemKind::Project]);
        assert_eq!(one.summary.skills, ["linear algebra", "Python", "PyTorch"]);

        db.update_curriculum(public.id, ada.id, "Deep learning", THREE_ITEMS, at(20))
            .await
            .unwrap();
        let one = db.explore(&all_public()).await.unwrap().remove(0);
        assert_eq!(
            (one.summary.items, one.summary.total, one.summary.weekly),
            (3, Minutes::from_hours(48), None),
            "an edit writes the figures with the source"
        );
        assert!(one.summary.skills.is_empty());

        db.set_curriculum_visibility(public.id, ada.id, Visibility::Unlisted, at(30))
            .await
            .unwrap();
        assert!(db.explore(&all_public()).await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn search_and_filters_narrow_the_listing_and_typed_wildcards_match_themselves() {
    for db in backends().await {
        let ada = Learner::new("ada").create(&db).await;
        let grace = Learner::new("grace").create(&db).await;
        CurriculumBuilder::new(&ada, "x")
            .source(SOURCE)
            .public()
            .at(at(10))
            .create(&db)
            .await;
        CurriculumBuilder::new(&grace, "x")
            .source("title = \"Compilers\"\n[[phases]]\ntitle = \"One\"\nitems = [{ id = \"b\", kind = \"book\", title = \"Dragon\", hours = 80, skills = [\"parsing\"] }]\n")
            .public()
            .at(at(20))
            .create(&db)
            .await;
        let find = |f: ExploreFilter| {
            let db = &db;
            async move { titles(db, ExploreFilter { limit: 100, ..f }).await }
        };
        const DL: &str = "Deep learning, 50% practical";
        const CC: &str = "Compilers";
        let words = |w: &[&str]| w.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();

        assert_eq!(
            find(ExploreFilter {
                sort: ExploreSort::Recent,
                ..Default::default()
            })
            .await,
            [CC, DL]
        );
        assert_eq!(
            find(ExploreFilter {
                words: words(&["deep"]),
                ..Default::default()
            })
            .await,
            [DL],
            "by title"
        );
        assert_eq!(
            find(ExploreFilter {
                words: words(&["pars"]),
                ..Default::default()
            })
            .await,
            [CC],
            "by skill"
        );
        assert_eq!(
            find(ExploreFilter {
                words: words(&["grace"]),
                ..Default::default()
            })
            .await,
            [CC],
            "by author"
        );
        assert_eq!(
            find(ExploreFilter {
                words: words(&["deep", "grace"]),
                ..Default::default()
            })
            .await,
            Vec::<String>::new(),
            "every word must match"
        );
        assert_eq!(
            find(ExploreFilter {
                words: words(&["50%"]),
                ..Default::default()
            })
            .await,
            [DL]
        );
        assert_eq!(
            find(ExploreFilter {
                words: words(&["5_%"]),
                ..Default::default()
            })
            .await,
            Vec::<String>::new(),
            "`_` and `%` are letters, not wildcards"
        );
        assert_eq!(
            find(ExploreFilter {
                skill: Some("linear algebra".to_owned()),
                ..Default::default()
            })
            .await,
            [DL]
        );
        assert_eq!(
            find(ExploreFilter {
                skill: Some("linear".to_owned()),
                ..Default::default()
            })
            .await,
            Vec::<String>::new(),
            "a skill matches whole"
        );
        assert_eq!(
            find(ExploreFilter {
                kind: Some(ItemKind::Book),
                ..Default::default()
            })
            .await,
            [CC]
        );
        assert_eq!(
            find(ExploreFilter {
                min_total: Some(Minutes::from_hours(50)),
                ..Default::default()
            })
            .await,
            [CC]
        );
        assert_eq!(
            find(ExploreFilter {
                max_total: Some(Minutes::from_hours(45)),
                ..Default::default()
            })
            .await,
            [DL],
            "the bound is inclusive"
        );
        assert_eq!(
            find(ExploreFilter {
                max_weekly: Some(Minutes::from_hours(12)),
                ..Default::default()
            })
            .await,
            [DL],
            "a curriculum that states no hours a week is left out of that filter"
        );
        assert_eq!(
            titles(
                &db,
                ExploreFilter {
                    sort: ExploreSort::Recent,
                    offset: 1,
                    limit: 1,
                    ..Default::default()
                }
            )
            .await,
            [DL],
            "a page starts at its offset"
        );
    }
}

#[tokio::test]
async fn followers_and_finishers_are_counted_through_every_write_path() {
    for db in backends().await {
        let ada = Learner::new("ada").create(&db).await;
        let bob = Learner::new("bob").create(&db).await;
        let cyd = Learner::new("cyd").create(&db).await;
        let source = CurriculumBuilder::new(&ada, "x")
            .source(SOURCE)
            .public()
            .create(&db)
            .await;
        assert_eq!(counts(&db, source.id).await, (0, 0));

        db.create_follow(new_follow(&ada, &source)).await.unwrap();
        let mut copy = CurriculumBuilder::new(&bob, "x").source(SOURCE).build();
        copy.lineage = copy_lineage(&source);
        let (bobs_copy, bobs) = db
            .follow_copy(copy.clone(), new_follow(&bob, &source))
            .await
            .unwrap();
        assert_eq!(counts(&db, source.id).await, (2, 0), "the owner and a copy");
        assert_eq!(counts(&db, bobs_copy.id).await, (1, 0));

        for id in ["course", "proj"] {
            db.set_item_status(bobs.id, bob.id, &item(id), ItemStatus::Done, at(30))
                .await
                .unwrap();
        }
        assert_eq!(counts(&db, source.id).await, (2, 1), "bob finished");
        db.set_item_status(bobs.id, bob.id, &item("proj"), ItemStatus::Doing, at(31))
            .await
            .unwrap();
        assert_eq!(counts(&db, source.id).await, (2, 0), "and took it back");
        db.set_item_status(bobs.id, bob.id, &item("proj"), ItemStatus::Skipped, at(32))
            .await
            .unwrap();
        assert_eq!(
            counts(&db, source.id).await,
            (2, 1),
            "skipped counts as through"
        );

        db.update_curriculum(bobs_copy.id, bob.id, "x", THREE_ITEMS, at(40))
            .await
            .unwrap();
        assert_eq!(
            counts(&db, source.id).await,
            (2, 0),
            "an item added to the copy is not finished"
        );
        db.update_curriculum(bobs_copy.id, bob.id, "x", SOURCE, at(41))
            .await
            .unwrap();
        assert_eq!(counts(&db, source.id).await, (2, 1));

        db.delete_follow(bobs.id, bob.id).await.unwrap();
        assert_eq!(counts(&db, source.id).await, (1, 0), "a follow that goes");

        let (_, bobs) = db
            .follow_copy(copy.clone(), new_follow(&bob, &source))
            .await
            .unwrap();
        for id in ["course", "proj"] {
            db.set_item_status(bobs.id, bob.id, &item(id), ItemStatus::Done, at(50))
                .await
                .unwrap();
        }
        let mut cys_copy = CurriculumBuilder::new(&cyd, "x").source(SOURCE).build();
        cys_copy.lineage = copy_lineage(&source);
        let (cys_copy, _) = db
            .follow_copy(cys_copy, new_follow(&cyd, &source))
            .await
            .unwrap();
        assert_eq!(counts(&db, source.id).await, (3, 1));

        db.delete_curriculum(cys_copy.id, cyd.id).await.unwrap();
        assert_eq!(counts(&db, source.id).await, (2, 1), "a copy that goes");
        db.delete_user(bob.id).await.unwrap();
        assert_eq!(
            counts(&db, source.id).await,
            (1, 0),
            "an account that goes takes its follows off"
        );
        assert!(
            db.verify().await.unwrap().is_sound(),
            "the database checks out"
        );
    }
}

#[tokio::test]
async fn the_migration_summarises_what_was_stored_before_and_counts_its_finishers() {
    for db in backends_at(15).await {
        let ada = Learner::new("ada").create(&db).await;
        let bob = Learner::new("bob").create(&db).await;
        let source = curriculum_before(&db, 71, &ada, SOURCE, None).await;
        let copy = curriculum_before(&db, 72, &bob, SOURCE, Some(source)).await;
        let bobs = db.create_follow(new_follow(&bob, &copy)).await.unwrap();
        for id in ["course", "proj"] {
            db.set_item_status(bobs.id, bob.id, &item(id), ItemStatus::Done, at(30))
                .await
                .unwrap();
        }

        db.migrate().await.unwrap();

        let listed = db.explore(&all_public()).await.unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(
            (listed[0].summary.items, listed[0].summary.total),
            (2, Minutes::from_hours(45))
        );
        assert_eq!((listed[0].followers, listed[0].finishers), (1, 1));
        assert!(
            db.verify().await.unwrap().is_sound(),
            "the database checks out"
        );
    }
}
