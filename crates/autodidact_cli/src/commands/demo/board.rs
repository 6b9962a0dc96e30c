//! What the demo learner's board shows besides statuses: items marked worth revisiting with
//! their review history, Markdown notes, and links to finished projects. Made from the
//! story's progress, deterministically.

use std::collections::BTreeSet;

use autodidact_core::curriculum::{ItemId, ItemKind};
use autodidact_core::review::{Grade, ReviewState};
use autodidact_core::store::EvidenceKind;
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use super::story::{Progress, Track, on};

/// A finished item marked worth revisiting, and its graded reviews.
#[derive(Debug, Clone)]
pub struct Revisit {
    pub item: ItemId,
    pub marked: Date,
    pub first: ReviewState,
    pub reviews: Vec<(Grade, Date, ReviewState)>,
}

/// A link to work shown, on a finished project.
#[derive(Debug, Clone)]
pub struct Shown {
    pub track: usize,
    pub item: ItemId,
    pub kind: EvidenceKind,
    pub url: String,
    pub title: String,
    pub at: Timestamp,
}

/// Three finished items of the main follow, marked worth revisiting the day after they were
/// finished and reviewed on the day each review fell due (after the vacation when it fell
/// in it). The middle one has a review due today or overdue; the others stop before today.
pub fn revisits(progress: &[Progress], today: Date, vacation: (Date, Date)) -> Vec<Revisit> {
    let mut rng = StdRng::seed_from_u64(0x4EE1_5175);
    let finished: Vec<(&ItemId, Date)> = progress
        .iter()
        .filter(|p| p.track == 0)
        .filter_map(|p| p.finished.map(|(day, _)| (&p.item, day)))
        .filter(|(_, day)| *day < on(today, -120))
        .collect();
    let n = finished.len();
    let picks: BTreeSet<usize> = [n / 5, n / 2, (n * 4) / 5]
        .into_iter()
        .filter(|&i| i < n)
        .collect();
    let middle = n / 2;
    let after_break = |day: Date| {
        if (vacation.0..=vacation.1).contains(&day) {
            on(vacation.1, 1)
        } else {
            day
        }
    };
    let mut out = Vec::new();
    for i in picks {
        let (item, finished_on) = finished[i];
        let marked = after_break(on(finished_on, 1));
        let first = ReviewState::new(marked);
        let mut reviews: Vec<(Grade, Date, ReviewState)> = Vec::new();
        loop {
            let state = reviews.last().map_or(&first, |r| &r.2);
            let day = after_break(state.due);
            if day >= today {
                break;
            }
            let grade = match rng.random_range(0..100u8) {
                0..5 => Grade::Again,
                5..20 => Grade::Hard,
                20..85 => Grade::Good,
                _ => Grade::Easy,
            };
            let next = state.after(grade, day);
            if i == middle && next.due > today && !reviews.is_empty() {
                // Leave the review that fell due lately undone.
                break;
            }
            reviews.push((grade, day, next));
        }
        out.push(Revisit {
            item: item.clone(),
            marked,
            first,
            reviews,
        });
    }
    out
}

/// Notes the learner kept on some items of the main curriculum, where they got that far.
pub fn notes(progress: &[Progress]) -> Vec<(ItemId, &'static str)> {
    const NOTES: [(&str, &str); 4] = [
        (
            "coursera-machine-learning",
            "## What stuck\n\n- Gradient descent is *just* walking downhill; the learning rate \
             is the step.\n- Regularisation: penalise big weights, not features.\n\n\
             Redo ex. 5 (bias/variance) in Python, not Octave.",
        ),
        (
            "kaggle-titanic",
            "Baseline logistic regression: **0.766**. Random forest with `Title` and \
             `FamilySize` features: **0.789**.\n\n- [ ] try gradient boosting\n- [x] write it up",
        ),
        (
            "fastai-v1",
            "Lesson 3 is the one to rewatch. Notebook links in my repo.\n\n> Train first, \
             understand later — but *do* come back and understand.",
        ),
        (
            "linear-algebra",
            "Strang's lectures 1–10 alongside chapter 2. Eigendecomposition finally makes \
             sense as *stretching along some directions*.",
        ),
    ];
    NOTES
        .iter()
        .filter_map(|(id, text)| {
            progress
                .iter()
                .find(|p| p.track == 0 && p.item.as_str() == *id && p.finished.is_some())
                .map(|p| (p.item.clone(), *text))
        })
        .collect()
}

/// A repository for every finished project, and a write-up for the first.
pub fn evidence(tracks: &[Track], progress: &[Progress]) -> Vec<Shown> {
    let mut out = Vec::new();
    for p in progress {
        let (Some(track), Some((_, finished))) = (tracks.get(p.track), p.finished) else {
            continue;
        };
        let is_project = track
            .curriculum
            .item(&p.item)
            .is_some_and(|i| i.kind == ItemKind::Project);
        if !is_project {
            continue;
        }
        let at = finished + SignedDuration::from_hours(2);
        out.push(Shown {
            track: p.track,
            item: p.item.clone(),
            kind: EvidenceKind::Repository,
            url: format!("https://git.example.org/demo/{}", p.item),
            title: "Code and notebooks".to_owned(),
            at,
        });
        if out.len() == 1 {
            out.push(Shown {
                track: p.track,
                item: p.item.clone(),
                kind: EvidenceKind::Post,
                url: format!("https://blog.example.org/demo/{}", p.item),
                title: "What I learned".to_owned(),
                at,
            });
        }
    }
    out
}
