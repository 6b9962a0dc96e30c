//! Planner and importer throughput.
//!
//! `cargo bench -p autodidact_core --bench core` prints the figures recorded in
//! docs/BENCHMARKS.md: planning a generated 10,000-item curriculum with random prerequisites,
//! and importing a generated 5 MB Trello board export.

use std::hint::black_box;

use autodidact_core::curriculum::{
    Curriculum, Effort, EstimateSource, Item, ItemId, ItemKind, Minutes, Phase,
};
use autodidact_core::import::{SourceFormat, import_bytes};
use autodidact_core::plan::{PlanRequest, WeeklyBudget, plan_schedule};
use criterion::{Criterion, criterion_group, criterion_main};
use jiff::civil::date;

/// A small deterministic generator, so every run plans the same curriculum.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

fn id(n: usize) -> ItemId {
    ItemId::parse(&format!("item-{n}")).unwrap_or_else(|_| ItemId::from_title("item"))
}

/// 10,000 items of half an hour to five hours in 20 phases, each requiring up to three random
/// earlier items: about 27,500 hours, 13 years at 40 hours a week.
fn big_curriculum(items: usize) -> Curriculum {
    let mut rng = Lcg(42);
    let phases = 20;
    let per_phase = items / phases;
    Curriculum {
        title: "Generated".into(),
        description: String::new(),
        author: String::new(),
        hours_per_week: Some(Minutes::from_hours(20)),
        phases: (0..phases)
            .map(|p| Phase {
                title: format!("Phase {p}"),
                description: String::new(),
                items: (0..per_phase)
                    .map(|k| {
                        let n = p * per_phase + k;
                        let requires = (0..rng.next(4))
                            .filter(|_| n > 0)
                            .map(|_| id(rng.next(n as u64) as usize))
                            .collect::<std::collections::BTreeSet<_>>()
                            .into_iter()
                            .collect();
                        Item {
                            id: id(n),
                            kind: ItemKind::ALL[rng.next(8) as usize],
                            title: format!("Item {n}"),
                            url: None,
                            effort: Effort::Hours(Minutes::new(30 + rng.next(270) as u32)),
                            estimate_source: EstimateSource::Stated,
                            skills: vec![],
                            requires,
                            mode_override: None,
                            notes: String::new(),
                            due: None,
                        }
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// A Trello board export of at least `bytes`, shaped like the real thing.
fn trello_export(bytes: usize) -> String {
    let mut rng = Lcg(7);
    let mut lists = Vec::new();
    let mut cards = Vec::new();
    let mut checklists = Vec::new();
    let mut size = 0;
    let mut n = 0;
    while size < bytes {
        let list = n / 200;
        if n % 200 == 0 {
            lists.push(format!(
                r#"{{"id":"list{list}","name":"Month {list}","closed":false,"pos":{}}}"#,
                list * 1024
            ));
        }
        let card = format!(
            r#"{{"id":"card{n}","idList":"list{list}","name":"Lesson {n}: gradient descent and friends ({}h)","desc":"Watch the lecture, take notes, and do the exercises. https://example.org/lesson/{n} Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.","closed":{},"due":"2027-01-{:02}T12:00:00.000Z","dueComplete":false,"idChecklists":["cl{n}"],"labels":[{{"id":"l1","name":"Deep Learning","color":"green"}}],"pos":{},"idMembers":[],"badges":{{"votes":0,"comments":0}}}}"#,
            1 + rng.next(12),
            rng.next(20) == 0,
            1 + rng.next(28),
            n * 16
        );
        let checklist = format!(
            r#"{{"id":"cl{n}","idCard":"card{n}","name":"Steps","checkItems":[{{"id":"a{n}","name":"Read the chapter","state":"complete","pos":1}},{{"id":"b{n}","name":"Do the exercises","state":"incomplete","pos":2}}]}}"#
        );
        size += card.len() + checklist.len() + 2;
        cards.push(card);
        checklists.push(checklist);
        n += 1;
    }
    format!(
        r#"{{"id":"board","name":"My learning board","desc":"","lists":[{}],"cards":[{}],"checklists":[{}],"labels":[],"actions":[]}}"#,
        lists.join(","),
        cards.join(","),
        checklists.join(",")
    )
}

fn planner(c: &mut Criterion) {
    let curriculum = big_curriculum(10_000);
    let budget = WeeklyBudget::PerWeek(Minutes::from_hours(40));
    let request = PlanRequest::new(&curriculum, budget, date(2026, 12, 7));
    match plan_schedule(&request) {
        Ok(plan) => println!(
            "plan: {} items, {} h, {} weeks, ends {:?}",
            plan.items.len(),
            plan.total.get() / 60,
            plan.weeks.len(),
            plan.end
        ),
        Err(err) => panic!("the generated curriculum must plan: {err}"),
    }
    c.bench_function("plan 10,000 items with random prerequisites", |b| {
        b.iter(|| plan_schedule(black_box(&request)))
    });
}

fn trello(c: &mut Criterion) {
    let export = trello_export(5 * 1024 * 1024);
    println!("trello export: {} bytes", export.len());
    if let Ok(imported) = import_bytes(export.as_bytes(), Some(SourceFormat::Trello), "Board") {
        println!(
            "trello import: {} items",
            imported.curriculum.items().count()
        );
    }
    let mut group = c.benchmark_group("import");
    group.sample_size(20);
    group.bench_function("trello export of 5 MB", |b| {
        b.iter(|| {
            import_bytes(
                black_box(export.as_bytes()),
                Some(SourceFormat::Trello),
                "Board",
            )
        })
    });
    group.finish();
}

criterion_group!(benches, planner, trello);
criterion_main!(benches);
