//! The takeout's round trip on generated learners: a document imported into an empty account
//! and exported again keeps every row, and a second round trip changes nothing but ids.

use std::collections::BTreeSet;

use autodidact_core::review::{Grade, ReviewState};
use autodidact_core::store::{AccountStore, CurriculumStore, InsightStore, LogStore};
use autodidact_core::takeout::*;
use autodidact_store::testing::sqlite;
use jiff::Timestamp;
use jiff::civil::{Date, date};
use proptest::prelude::*;
use serde_json::Value;

use crate::fixtures::{Learner, curriculum, new_log};

const SOURCES: [(&str, &[&str]); 2] = [
    (
        "title = \"Deep learning\"\n[[phases]]\ntitle = \"One\"\nitems = [\n  { id = \"course\", kind = \"course\", title = \"A course\", hours = 10 },\n  { id = \"book\", kind = \"book\", title = \"A book\", hours = 20 },\n]\n",
        &["course", "book"],
    ),
    (
        "title = \"Maths\"\n[[phases]]\ntitle = \"Algebra\"\nitems = [{ id = \"linear-algebra\", kind = \"course\", title = \"Linear algebra\", hours = 40 }]\n",
        &["linear-algebra"],
    ),
];

fn at(secs: i64) -> Timestamp {
    Timestamp::from_second(1_767_225_600 + secs).unwrap()
}

fn day(n: i64) -> Date {
    date(2026, 1, 1)
        .checked_add(jiff::Span::new().days(n))
        .unwrap()
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![Just(String::new()), "[a-z ]{1,12}", "\\PC{0,8}"]
}

/// A generated follow: weekly rest, budget choice, board cards (item, status, notes) and
/// reviews (item, number of grades).
type GenFollow = (bool, u8, Vec<(u8, u8, String)>, Vec<(u8, u8)>);
/// A generated log: follow, on its first item, minutes, kind, day, note, time.
type GenLog = (Option<u8>, bool, u32, u8, i64, String, i64);

/// A generated learner: which curricula they hold and follow, and what they did.
#[derive(Debug, Clone)]
struct Learned {
    curricula: Vec<(usize, u8, u32, u8)>,
    follows: Vec<GenFollow>,
    logs: Vec<GenLog>,
    commitments: Vec<Option<u32>>,
    dismissals: BTreeSet<String>,
}

fn learned() -> impl Strategy<Value = Learned> {
    (
        proptest::collection::vec((0..2usize, 0..3u8, 1..5u32, 0..3u8), 1..4),
        proptest::collection::vec(
            (
                any::<bool>(),
                0..4u8,
                proptest::collection::vec((0..3u8, 0..4u8, text()), 0..3),
                proptest::collection::vec((0..3u8, 0..4u8), 0..3),
            ),
            0..3,
        ),
        proptest::collection::vec(
            (
                proptest::option::of(0..3u8),
                any::<bool>(),
                1..=1440u32,
                0..3u8,
                0..400i64,
                text(),
                0..50i64,
            ),
            0..40,
        ),
        proptest::collection::vec(proptest::option::of(1..3000u32), 0..4),
        proptest::collection::btree_set("(over-ceiling|no-rest):2026-0[1-9]-1[0-9]", 0..3),
    )
        .prop_map(
            |(curricula, follows, logs, commitments, dismissals)| Learned {
                curricula,
                follows,
                logs,
                commitments,
                dismissals,
            },
        )
}

/// The learner as a takeout document, valid by construction.
fn document(l: &Learned) -> Takeout {
    let curricula: Vec<CurriculumDoc> = l
        .curricula
        .iter()
        .enumerate()
        .map(|(n, &(source, visibility, version, lineage))| {
            let text = SOURCES[source].0;
            CurriculumDoc {
                id: (100 + n).to_string(),
                title: text
                    .lines()
                    .next()
                    .unwrap()
                    .split('"')
                    .nth(1)
                    .unwrap()
                    .to_owned(),
                visibility: ["private", "unlisted", "public"][visibility as usize].to_owned(),
                version,
                lineage: match lineage {
                    0 => LineageDoc::Original,
                    1 => LineageDoc::Template {
                        template: "ml-beginner-path".to_owned(),
                    },
                    _ => LineageDoc::Fork {
                        source: "77".to_owned(),
                        source_version: 3,
                        source_owner: "12".to_owned(),
                        source_owner_handle: "rosa".to_owned(),
                        source_title: "Upstream".to_owned(),
                        base: text.to_owned(),
                    },
                },
                created_at: at(n as i64 * 10),
                updated_at: at(n as i64 * 10 + 5),
                source: text.to_owned(),
                // Curricula of an odd version were imported from a file.
                import_report: (version % 2 == 1).then(|| ImportReportDoc {
                    format: ["trello", "markdown"][source].to_owned(),
                    notes: vec![
                        "2 estimates were missing".to_owned(),
                        format!("a title shortened to {} characters", 200 + n),
                    ],
                    progress: SOURCES[source]
                        .1
                        .iter()
                        .zip(["done", "doing"])
                        .map(|(item, status)| ImportProgressDoc {
                            item: (*item).to_owned(),
                            status: status.to_owned(),
                        })
                        .collect(),
                    created_at: at(n as i64 * 10 + 1),
                }),
            }
        })
        .collect();
    let items_of = |c: usize| SOURCES[l.curricula[c].0].1;
    let follows: Vec<FollowDoc> = l
        .follows
        .iter()
        .enumerate()
        .filter(|(n, _)| *n < curricula.len())
        .map(|(n, (weekday, budget, board, reviews))| {
            let items = items_of(n);
            let mut seen = BTreeSet::new();
            FollowDoc {
                id: (200 + n).to_string(),
                curriculum: curricula[n].id.clone(),
                budget: ["10", "mon=2,sat=6", "7.5", "20"][*budget as usize].to_owned(),
                // Some follows changed their hours: 5 h a week at first, then the budget.
                budget_history: if *weekday {
                    vec![
                        BudgetChangeDoc {
                            from: day(n as i64),
                            budget: "5".to_owned(),
                        },
                        BudgetChangeDoc {
                            from: day(n as i64 + 30),
                            budget: ["10", "mon=2,sat=6", "7.5", "20"][*budget as usize].to_owned(),
                        },
                    ]
                } else {
                    vec![]
                },
                start: day(n as i64),
                breaks: if *weekday {
                    vec!["sun".to_owned(), "2026-12-21..2027-01-03".to_owned()]
                } else {
                    vec![]
                },
                breaks_declared: if *weekday {
                    vec![DeclaredBreakDoc {
                        range: "2026-12-21..2027-01-03".to_owned(),
                        declared_on: day(n as i64 + 3),
                    }]
                } else {
                    vec![]
                },
                visibility: "private".to_owned(),
                plan_done: vec![items[0].to_owned()],
                plan_base_minutes: 600,
                created_at: at(100 + n as i64),
                updated_at: at(150 + n as i64),
                revisions: vec![RevisionDoc {
                    number: 1,
                    budget: "5".to_owned(),
                    start: day(0),
                    breaks: vec![],
                    done: vec![],
                    base_minutes: 0,
                    replaced_on: day(30),
                    created_at: at(300),
                }],
                board: board
                    .iter()
                    .filter(|(i, _, _)| seen.insert(items[*i as usize % items.len()]))
                    .map(|(i, s, notes)| BoardDoc {
                        item: items[*i as usize % items.len()].to_owned(),
                        status: ["todo", "doing", "done", "skipped"][*s as usize].to_owned(),
                        notes: notes.clone(),
                        updated_at: at(400),
                    })
                    .collect(),
                evidence: board
                    .iter()
                    .map(|(i, k, title)| EvidenceDoc {
                        item: items[*i as usize % items.len()].to_owned(),
                        kind: ["repository", "notebook", "post", "other"][*k as usize].to_owned(),
                        url: format!("https://example.org/{i}/{k}"),
                        // As the browser and the API store it: trimmed.
                        title: title.trim().to_owned(),
                        created_at: at(500),
                    })
                    .collect(),
                reviews: {
                    let mut reviewed = BTreeSet::new();
                    reviews
                        .iter()
                        .filter(|(i, _)| reviewed.insert(items[*i as usize % items.len()]))
                        .map(|(i, grades)| {
                            let state = ReviewState::new(day(40));
                            ReviewDoc {
                                item: items[*i as usize % items.len()].to_owned(),
                                state: serde_json::from_str(&state.to_json()).unwrap(),
                                due: state.due,
                                created_at: at(600),
                                updated_at: at(700),
                                events: (0..*grades)
                                    .map(|g| ReviewEventDoc {
                                        grade: Grade::ALL[g as usize].as_str().to_owned(),
                                        day: day(50 + i64::from(g)),
                                        created_at: at(800 + i64::from(g)),
                                    })
                                    .collect(),
                            }
                        })
                        .collect()
                },
                // A review for other learners of each item marked for spaced review, in item
                // order, as the export writes them.
                item_reviews: reviews
                    .iter()
                    .map(|(i, grades)| (items[*i as usize % items.len()], *grades))
                    .collect::<std::collections::BTreeMap<_, _>>()
                    .into_iter()
                    .map(|(item, grades)| ItemReviewDoc {
                        item: item.to_owned(),
                        rating: f64::from(1 + u32::from(grades) % 10) / 2.0,
                        text: format!("Took {grades} tries"),
                        tip: if grades % 2 == 0 {
                            String::new()
                        } else {
                            "Start early".to_owned()
                        },
                        created_at: at(900),
                        updated_at: at(950),
                    })
                    .collect(),
            }
        })
        .collect();
    let logs = l
        .logs
        .iter()
        .enumerate()
        .map(|(n, (follow, on_item, minutes, kind, d, note, t))| {
            let follow = follow.map(|f| f as usize).filter(|f| *f < follows.len());
            LogDoc {
                id: (1000 + n).to_string(),
                follow: follow.map(|f| follows[f].id.clone()),
                // With a follow, its first item; without one, an item whose follow is gone.
                item: on_item.then(|| {
                    follow.map_or_else(
                        || "unfollowed-item".to_owned(),
                        |f| items_of(f)[0].to_owned(),
                    )
                }),
                minutes: *minutes,
                kind: ["learn", "build", "review"][*kind as usize].to_owned(),
                day: day(*d),
                note: note.clone(),
                created_at: at(1000 + t),
            }
        })
        .collect();
    // A timer runs for learners with an odd number of commitments: on the first follow's
    // first item when there is one.
    let timer = (l.commitments.len() % 2 == 1).then(|| TimerDoc {
        follow: follows.first().map(|f| f.id.clone()),
        item: follows.first().map(|_| items_of(0)[0].to_owned()),
        kind: "build".to_owned(),
        label: "A course".to_owned(),
        started_at: at(9000),
    });
    let journal_follows: Vec<String> = follows.iter().map(|f| f.id.clone()).collect();
    Takeout {
        format: FORMAT.to_owned(),
        version: VERSION,
        exported_at: at(9999),
        account: AccountDoc {
            handle: "someone".to_owned(),
            display_name: "Some One".to_owned(),
            email: "someone@example.org".to_owned(),
            created_at: at(0),
        },
        settings: SettingsDoc {
            timezone: "Europe/Amsterdam".to_owned(),
            week_start: "sunday".to_owned(),
            streak_min_minutes: 20,
            rest_days_per_week: 2,
            ceiling_percent: 180,
            making_threshold_percent: 25,
            loosen_delay_days: 3,
            // Shortened from 10 days: 3 holds only once the 10 days are over.
            loosen_delay_history: vec![
                DelayChangeDoc {
                    from: day(0),
                    days: 10,
                },
                DelayChangeDoc {
                    from: day(10),
                    days: 3,
                },
            ],
        },
        curricula,
        follows,
        logs,
        commitments: l
            .commitments
            .iter()
            .enumerate()
            .map(|(n, weekly)| CommitmentDoc {
                number: n as u32 + 1,
                requested_on: day(n as i64 * 7),
                weekly_minutes: *weekly,
                created_at: at(2000 + n as i64),
            })
            .collect(),
        dismissals: l.dismissals.iter().cloned().collect(),
        tokens: Vec::new(),
        timer,
        // A profile opened part by part, and a post about each follow's first item and one
        // about nothing.
        profile: Some(ProfileDoc {
            bio: format!("I learn {}", l.dismissals.len()),
            profile: "public".to_owned(),
            progress: "followers".to_owned(),
            heatmap: "unlisted".to_owned(),
            portfolio: "public".to_owned(),
            journal: "public".to_owned(),
            curricula: "private".to_owned(),
            skills: "followers".to_owned(),
            crowd: l.commitments.len().is_multiple_of(2),
        }),
        journal: journal_follows
            .iter()
            .enumerate()
            .map(|(n, f)| JournalPostDoc {
                title: format!("Post {n}"),
                body: format!("On **{}**", items_of(n)[0]),
                follow: Some(f.clone()),
                item: Some(items_of(n)[0].to_owned()),
                visibility: ["private", "followers", "unlisted", "public"][n % 4].to_owned(),
                created_at: at(3000 + n as i64),
                updated_at: at(3500 + n as i64),
            })
            .chain(std::iter::once(JournalPostDoc {
                title: "A week".to_owned(),
                body: String::new(),
                follow: None,
                item: None,
                visibility: "public".to_owned(),
                created_at: at(4000),
                updated_at: at(4000),
            }))
            .collect(),
    }
}

/// What every row holds, ids aside, as a sorted list of JSON values per kind.
fn contents(doc: &Takeout) -> Value {
    let mut v = serde_json::to_value(doc).unwrap();
    let map = v.as_object_mut().unwrap();
    for key in ["exported_at", "tokens", "account"] {
        map.remove(key);
    }
    let curricula = map["curricula"].as_array().unwrap().clone();
    let title_of = |id: &Value| {
        curricula
            .iter()
            .find(|c| &c["id"] == id)
            .map(|c| c["source"].clone())
            .unwrap_or(Value::Null)
    };
    let follows = map["follows"].as_array().unwrap().clone();
    let follow_of = |id: &Value| {
        follows
            .iter()
            .find(|f| &f["id"] == id)
            .map(|f| title_of(&f["curriculum"]))
            .unwrap_or(Value::Null)
    };
    for key in ["curricula", "follows", "logs", "journal"] {
        let mut rows: Vec<Value> = map[key].as_array().unwrap().clone();
        for row in &mut rows {
            let obj = row.as_object_mut().unwrap();
            obj.remove("id");
            if let Some(c) = obj.remove("curriculum") {
                obj.insert("curriculum".into(), title_of(&c));
            }
            if let Some(f) = obj.remove("follow") {
                obj.insert("follow".into(), follow_of(&f));
            }
            for list in ["evidence", "board", "reviews"] {
                if let Some(Value::Array(items)) = obj.get_mut(list) {
                    items.sort_by_key(|i| i.to_string());
                }
            }
        }
        rows.sort_by_key(|r| r.to_string());
        map.insert(key.to_owned(), Value::Array(rows));
    }
    if let Some(Value::Object(timer)) = map.get_mut("timer")
        && let Some(f) = timer.remove("follow")
    {
        timer.insert("follow".into(), follow_of(&f));
    }
    v
}

fn round_trip(doc: &Takeout) -> (Takeout, Takeout) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let db = sqlite().await;
        let bytes = serde_json::to_vec(doc).unwrap();
        let first = Learner::new("first").create(&db).await;
        import_account(&db.db, &first, &bytes).await.unwrap();
        let once = export_account(&db.db, first.id, at(10_000))
            .await
            .unwrap()
            .unwrap();
        let second = Learner::new("second").create(&db).await;
        import_account(&db.db, &second, &serde_json::to_vec(&once).unwrap())
            .await
            .unwrap();
        let twice = export_account(&db.db, second.id, at(10_000))
            .await
            .unwrap()
            .unwrap();
        (once, twice)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn a_generated_learner_comes_back_whole(learned in learned()) {
        let doc = document(&learned);
        let (once, twice) = round_trip(&doc);
        prop_assert_eq!(contents(&once), contents(&doc));
        prop_assert_eq!(contents(&twice), contents(&once));
        prop_assert_eq!(&once.settings, &doc.settings);
        prop_assert_eq!(&once.account.display_name, &doc.account.display_name);
    }
}

#[tokio::test]
async fn an_account_whose_logs_were_all_deleted_takes_an_import() {
    let db = sqlite().await;
    let ada = Learner::new("ada").create(&db).await;
    // A log made and deleted leaves a day of zero totals behind.
    let (log, _) = db.add_log(new_log(&ada, 30, "2026-01-06")).await.unwrap();
    db.delete_log(log.id, ada.id).await.unwrap();
    db.dismiss(ada.id, "no-rest:2026-01-10", at(5))
        .await
        .unwrap();
    let doc = document(&Learned {
        curricula: vec![(0, 0, 1, 0)],
        follows: vec![],
        logs: vec![(None, false, 45, 0, 5, String::new(), 0)],
        commitments: vec![],
        dismissals: ["no-rest:2026-01-10".to_owned()].into_iter().collect(),
    });
    let done = import_account(&db.db, &ada, &serde_json::to_vec(&doc).unwrap()).await;
    assert!(done.is_ok(), "{done:?}");
    let minutes = db.daily_minutes(ada.id, day(0), day(30)).await.unwrap();
    assert_eq!(minutes.iter().map(|(_, _, m)| m.get()).sum::<u32>(), 45);
}

#[tokio::test]
async fn an_import_into_an_account_that_holds_anything_writes_nothing() {
    let db = sqlite().await;
    let ada = Learner::new("ada").create(&db).await;
    curriculum(&db, &ada, "Rust").await;
    let doc = document(&Learned {
        curricula: vec![(0, 0, 1, 0)],
        follows: vec![],
        logs: vec![],
        commitments: vec![Some(600)],
        dismissals: BTreeSet::new(),
    });
    let refused = import_account(&db.db, &ada, &serde_json::to_vec(&doc).unwrap()).await;
    assert!(matches!(refused, Err(ImportError::NotEmpty)), "{refused:?}");
    assert_eq!(db.curricula_of(ada.id).await.unwrap().len(), 1);
    assert_eq!(
        db.user(ada.id).await.unwrap().unwrap().display_name,
        "ada (display)"
    );
}
