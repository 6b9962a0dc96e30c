//! The account as a document and back. Reading a document checks everything before anything
//! is written: a file that is cut short, of another version, too big, or that names rows it
//! does not hold is refused whole, with what is wrong.

use std::collections::HashSet;

use jiff::Timestamp;

use super::model::*;
use crate::accounts::{Email, Handle, Pacing, Settings, UserId, WeekStart, Zone};
use crate::board::{MAX_NOTES_CHARS, check_evidence};
use crate::crowd::check_review;
use crate::curriculum::{ItemId, MAX_FILE_BYTES, Minutes, check_stored_toml};
use crate::logs::{MAX_MINUTES, MAX_NOTE_CHARS};
use crate::plan::{Break, BudgetHistory, History, WeeklyBudget, parse_weekday};
use crate::review::{Grade, ReviewState};
use crate::store::{
    AccountSnapshot, ApiToken, CommitmentId, CommitmentRecord, CurriculumId, CurriculumRecord,
    DeclaredBreak, Evidence, EvidenceId, Follow, FollowId, FollowSnapshot, ForkOf, ImportReport,
    ItemReviewRecord, ItemState, ItemStatus, JournalPost, JournalPostId, Lineage, LogId, LogKind,
    PlanRevision, ProfileSettings, ReviewEvent, ReviewEventId, ReviewRecord, Section, StudyLog,
    Timer, User, Visibility,
};

/// The largest takeout an import reads: far more than years of study (the demo learner's
/// year, 5,000 logs, is about 1.4 MB).
pub const MAX_TAKEOUT_BYTES: usize = 64 * 1024 * 1024;

/// Why a takeout file was refused. Nothing is written when any of these is found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TakeoutError {
    #[error(
        "the file is {size} bytes, and a takeout may be at most {MAX_TAKEOUT_BYTES} bytes: is it the right file?"
    )]
    TooBig { size: usize },
    #[error(
        "the file ends early, at line {line}, column {column}: it was cut short while it was saved or copied; download the takeout again"
    )]
    Truncated { line: usize, column: usize },
    #[error("the file is not a takeout: at line {line}, column {column}: {message}")]
    NotATakeout {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("the file says it is `{0}`, not an Autodidact takeout (`{FORMAT}`)")]
    WrongFormat(String),
    #[error(
        "the takeout is version {found}, and this server reads version {VERSION}: export it again from a server of the same version, or update this one"
    )]
    WrongVersion { found: u32 },
    /// A value that cannot be stored; `at` says where, such as `follows[2].budget`.
    #[error("{at}: {message}")]
    Invalid { at: String, message: String },
}

fn invalid(at: impl Into<String>, message: impl std::fmt::Display) -> TakeoutError {
    TakeoutError::Invalid {
        at: at.into(),
        message: message.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// The account as a document

fn lineage_doc(lineage: &Lineage) -> LineageDoc {
    match lineage {
        Lineage::Original => LineageDoc::Original,
        Lineage::Template { id } => LineageDoc::Template {
            template: id.clone(),
        },
        Lineage::Fork(f) => LineageDoc::Fork {
            source: f.source.0.to_string(),
            source_version: f.version,
            source_owner: f.owner.0.to_string(),
            source_owner_handle: f.owner_handle.as_str().to_owned(),
            source_title: f.title.clone(),
            base: f.base.clone(),
        },
    }
}

fn texts<T: ToString>(items: &[T]) -> Vec<String> {
    items.iter().map(ToString::to_string).collect()
}

fn week_start_name(w: WeekStart) -> String {
    format!("{:?}", w.0).to_lowercase()
}

fn follow_doc(f: &FollowSnapshot) -> FollowDoc {
    let follow = &f.follow;
    FollowDoc {
        id: follow.id.0.to_string(),
        curriculum: follow.curriculum.0.to_string(),
        budget: follow.budget.to_string(),
        budget_history: follow
            .budget_history
            .changes()
            .iter()
            .map(|c| BudgetChangeDoc {
                from: c.from,
                budget: c.value.to_string(),
            })
            .collect(),
        start: follow.start,
        breaks: texts(&follow.breaks),
        breaks_declared: follow
            .declared
            .iter()
            .map(|d| DeclaredBreakDoc {
                range: Break::Dates {
                    from: d.from,
                    to: d.to,
                }
                .to_string(),
                declared_on: d.declared_on,
            })
            .collect(),
        visibility: follow.visibility.as_str().to_owned(),
        plan_done: follow
            .plan_done
            .iter()
            .map(|i| i.as_str().to_owned())
            .collect(),
        plan_base_minutes: follow.plan_base.get(),
        created_at: follow.created_at,
        updated_at: follow.updated_at,
        revisions: f
            .revisions
            .iter()
            .map(|r| RevisionDoc {
                number: r.number,
                budget: r.budget.to_string(),
                start: r.start,
                breaks: texts(&r.breaks),
                done: r.done.iter().map(|i| i.as_str().to_owned()).collect(),
                base_minutes: r.base.get(),
                replaced_on: r.replaced_on,
                created_at: r.created_at,
            })
            .collect(),
        board: f
            .states
            .iter()
            .map(|s| BoardDoc {
                item: s.item.as_str().to_owned(),
                status: s.status.as_str().to_owned(),
                notes: s.notes.clone(),
                updated_at: s.updated_at,
            })
            .collect(),
        evidence: f
            .evidence
            .iter()
            .map(|e| EvidenceDoc {
                item: e.item.as_str().to_owned(),
                kind: e.kind.as_str().to_owned(),
                url: e.url.clone(),
                title: e.title.clone(),
                created_at: e.created_at,
            })
            .collect(),
        reviews: f
            .reviews
            .iter()
            .map(|r| ReviewDoc {
                item: r.item.as_str().to_owned(),
                state: serde_json::from_str(&r.state).unwrap_or(serde_json::Value::Null),
                due: r.due,
                created_at: r.created_at,
                updated_at: r.updated_at,
                events: f
                    .review_events
                    .iter()
                    .filter(|e| e.item == r.item)
                    .map(|e| ReviewEventDoc {
                        grade: e.grade.as_str().to_owned(),
                        day: e.day,
                        created_at: e.created_at,
                    })
                    .collect(),
            })
            .collect(),
        item_reviews: f
            .item_reviews
            .iter()
            .map(|r| ItemReviewDoc {
                item: r.item.as_str().to_owned(),
                rating: r.rating.stars(),
                text: r.text.clone(),
                tip: r.tip.clone(),
                created_at: r.created_at,
                updated_at: r.updated_at,
            })
            .collect(),
    }
}

/// The account in an order that does not depend on ids, so that the same account gives the
/// same document on any server: curricula by creation (then title and text), follows by
/// creation (then their curriculum's place), logs by day and time (then what they hold).
fn canonical(a: &AccountSnapshot) -> AccountSnapshot {
    let mut a = a.clone();
    a.curricula.sort_by(|x, y| {
        (x.created_at, &x.title, &x.source, x.version).cmp(&(
            y.created_at,
            &y.title,
            &y.source,
            y.version,
        ))
    });
    a.journal.sort_by(|x, y| {
        y.created_at
            .cmp(&x.created_at)
            .then_with(|| (&x.title, &x.body).cmp(&(&y.title, &y.body)))
    });
    let place = |c: CurriculumId| a.curricula.iter().position(|r| r.id == c);
    let mut follows = std::mem::take(&mut a.follows);
    follows.sort_by_key(|f| (f.follow.created_at, place(f.follow.curriculum)));
    for f in &mut follows {
        f.item_reviews.sort_by(|x, y| x.item.cmp(&y.item));
        f.evidence.sort_by(|x, y| {
            (x.created_at, &x.item, x.kind.as_str(), &x.url, &x.title).cmp(&(
                y.created_at,
                &y.item,
                y.kind.as_str(),
                &y.url,
                &y.title,
            ))
        });
        f.review_events.sort_by(|x, y| {
            (&x.item, x.day, x.created_at, x.grade.as_str()).cmp(&(
                &y.item,
                y.day,
                y.created_at,
                y.grade.as_str(),
            ))
        });
    }
    a.follows = follows;
    let place =
        |f: Option<FollowId>| f.and_then(|f| a.follows.iter().position(|s| s.follow.id == f));
    let mut logs = std::mem::take(&mut a.logs);
    logs.sort_by(|x, y| {
        (
            x.day,
            x.created_at,
            place(x.follow),
            &x.item,
            x.kind.as_str(),
            x.minutes,
            &x.note,
        )
            .cmp(&(
                y.day,
                y.created_at,
                place(y.follow),
                &y.item,
                y.kind.as_str(),
                y.minutes,
                &y.note,
            ))
    });
    a.logs = logs;
    a
}

/// The document of an account read at `now`.
pub fn to_document(a: &AccountSnapshot, now: Timestamp) -> Takeout {
    let a = &canonical(a);
    let settings = &a.user.settings;
    Takeout {
        format: FORMAT.to_owned(),
        version: VERSION,
        exported_at: now,
        account: AccountDoc {
            handle: a.user.handle.as_str().to_owned(),
            display_name: a.user.display_name.clone(),
            email: a.user.email.as_str().to_owned(),
            created_at: a.user.created_at,
        },
        settings: SettingsDoc {
            timezone: settings.timezone.name().to_owned(),
            week_start: week_start_name(settings.week_start),
            streak_min_minutes: settings.pacing.streak_min_minutes,
            rest_days_per_week: settings.pacing.rest_days_per_week,
            ceiling_percent: settings.pacing.ceiling_percent,
            making_threshold_percent: settings.pacing.making_threshold_percent,
            loosen_delay_days: settings.pacing.loosen_delay_days,
            loosen_delay_history: settings
                .delay_history
                .changes()
                .iter()
                .map(|c| DelayChangeDoc {
                    from: c.from,
                    days: c.value,
                })
                .collect(),
        },
        curricula: a
            .curricula
            .iter()
            .map(|c| CurriculumDoc {
                id: c.id.0.to_string(),
                title: c.title.clone(),
                visibility: c.visibility.as_str().to_owned(),
                version: c.version,
                lineage: lineage_doc(&c.lineage),
                created_at: c.created_at,
                updated_at: c.updated_at,
                source: c.source.clone(),
                import_report: a
                    .import_reports
                    .iter()
                    .find(|(id, _)| *id == c.id)
                    .map(|(_, r)| report_doc(r)),
            })
            .collect(),
        follows: a.follows.iter().map(follow_doc).collect(),
        logs: a
            .logs
            .iter()
            .map(|l| LogDoc {
                id: l.id.to_string(),
                follow: l.follow.map(|f| f.0.to_string()),
                item: l.item.as_ref().map(|i| i.as_str().to_owned()),
                minutes: l.minutes.get(),
                kind: l.kind.as_str().to_owned(),
                day: l.day,
                note: l.note.clone(),
                created_at: l.created_at,
            })
            .collect(),
        commitments: a
            .commitments
            .iter()
            .map(|c| CommitmentDoc {
                number: c.number,
                requested_on: c.requested_on,
                weekly_minutes: c.weekly.map(Minutes::get),
                created_at: c.created_at,
            })
            .collect(),
        dismissals: a.dismissals.clone(),
        tokens: a
            .tokens
            .iter()
            .map(|t| TokenDoc {
                name: t.name.clone(),
                scope: t.scope.as_str().to_owned(),
                created_at: t.created_at,
                last_used_at: t.last_used_at,
            })
            .collect(),
        timer: a.timer.as_ref().map(|t| TimerDoc {
            follow: t.follow.map(|f| f.0.to_string()),
            item: t.item.as_ref().map(|i| i.as_str().to_owned()),
            kind: t.kind.as_str().to_owned(),
            label: t.label.clone(),
            started_at: t.started_at,
        }),
        profile: Some(profile_doc(&a.profile)),
        journal: a
            .journal
            .iter()
            .map(|p| JournalPostDoc {
                title: p.title.clone(),
                body: p.body.clone(),
                follow: p.about.as_ref().map(|(f, _)| f.0.to_string()),
                item: p.about.as_ref().map(|(_, i)| i.as_str().to_owned()),
                visibility: p.visibility.as_str().to_owned(),
                created_at: p.created_at,
                updated_at: p.updated_at,
            })
            .collect(),
    }
}

fn profile_doc(p: &ProfileSettings) -> ProfileDoc {
    ProfileDoc {
        bio: p.bio.clone(),
        profile: p.profile.as_str().to_owned(),
        progress: p.section(Section::Progress).as_str().to_owned(),
        heatmap: p.section(Section::Heatmap).as_str().to_owned(),
        portfolio: p.section(Section::Portfolio).as_str().to_owned(),
        journal: p.section(Section::Journal).as_str().to_owned(),
        curricula: p.section(Section::Curricula).as_str().to_owned(),
        skills: p.section(Section::Skills).as_str().to_owned(),
        crowd: p.crowd,
    }
}

fn profile(doc: &ProfileDoc) -> Result<ProfileSettings, TakeoutError> {
    let chars = doc.bio.chars().count();
    if chars > crate::sharing::BIO_MAX_CHARS {
        return Err(invalid(
            "profile.bio",
            format!(
                "{chars} characters: a bio has at most {}",
                crate::sharing::BIO_MAX_CHARS
            ),
        ));
    }
    let mut p = ProfileSettings::default();
    p.bio.clone_from(&doc.bio);
    p.crowd = doc.crowd;
    p.profile = visibility("profile.profile", &doc.profile)?;
    for (section, raw) in [
        (Section::Progress, &doc.progress),
        (Section::Heatmap, &doc.heatmap),
        (Section::Portfolio, &doc.portfolio),
        (Section::Journal, &doc.journal),
        (Section::Curricula, &doc.curricula),
        (Section::Skills, &doc.skills),
    ] {
        p.set_section(
            section,
            visibility(&format!("profile.{}", section.as_str()), raw)?,
        );
    }
    Ok(p)
}

/// A journal post of the file; its follow must be one of the file's own.
fn journal_post(
    n: usize,
    doc: &JournalPostDoc,
    owner: UserId,
    follows: &HashSet<i64>,
) -> Result<JournalPost, TakeoutError> {
    use crate::sharing::{BODY_MAX_CHARS, TITLE_MAX_CHARS};
    let at = format!("journal[{n}]");
    let title_chars = doc.title.trim().chars().count();
    if title_chars == 0 || title_chars > TITLE_MAX_CHARS {
        return Err(invalid(
            format!("{at}.title"),
            format!("a title has 1 to {TITLE_MAX_CHARS} characters"),
        ));
    }
    if doc.body.chars().count() > BODY_MAX_CHARS {
        return Err(invalid(
            format!("{at}.body"),
            format!("a post has at most {BODY_MAX_CHARS} characters"),
        ));
    }
    let about = match (&doc.follow, &doc.item) {
        (None, None) => None,
        (Some(f), Some(i)) => {
            let f = id(&format!("{at}.follow"), f)?;
            if !follows.contains(&f) {
                return Err(invalid(
                    format!("{at}.follow"),
                    format!(
                        "no follow {f} in this takeout: a post is about one of the file's own follows, or none"
                    ),
                ));
            }
            Some((FollowId(f), item(&format!("{at}.item"), i)?))
        }
        _ => {
            return Err(invalid(at, "give both `follow` and `item`, or neither"));
        }
    };
    if doc.updated_at < doc.created_at {
        return Err(invalid(
            format!("{at}.updated_at"),
            "a post is updated after it is created",
        ));
    }
    Ok(JournalPost {
        id: JournalPostId(i64::try_from(n).unwrap_or(i64::MAX).saturating_add(1)),
        author: owner,
        title: doc.title.trim().to_owned(),
        body: doc.body.clone(),
        about,
        visibility: visibility(&format!("{at}.visibility"), &doc.visibility)?,
        created_at: doc.created_at,
        updated_at: doc.updated_at,
    })
}

fn report_doc(r: &ImportReport) -> ImportReportDoc {
    ImportReportDoc {
        format: r.format.clone(),
        notes: r.notes.clone(),
        progress: r
            .progress
            .iter()
            .map(|(item, status)| ImportProgressDoc {
                item: item.as_str().to_owned(),
                status: status.as_str().to_owned(),
            })
            .collect(),
        created_at: r.created_at,
    }
}

// ---------------------------------------------------------------------------------------------
// A document read back

/// Reads a takeout file: its size, its JSON, its format and version. The values are checked by
/// [`from_document`].
pub fn read_document(bytes: &[u8]) -> Result<Takeout, TakeoutError> {
    if bytes.len() > MAX_TAKEOUT_BYTES {
        return Err(TakeoutError::TooBig { size: bytes.len() });
    }
    // The format and version first, so that another version says so rather than failing on
    // a field it does not have.
    #[derive(serde::Deserialize)]
    struct Head {
        format: Option<String>,
        version: Option<u32>,
    }
    let located = |e: serde_json::Error| {
        if e.is_eof() {
            TakeoutError::Truncated {
                line: e.line(),
                column: e.column(),
            }
        } else {
            TakeoutError::NotATakeout {
                line: e.line(),
                column: e.column(),
                message: e.to_string(),
            }
        }
    };
    let head: Head = serde_json::from_slice(bytes).map_err(located)?;
    match head.format.as_deref() {
        Some(FORMAT) => {}
        Some(other) => return Err(TakeoutError::WrongFormat(other.to_owned())),
        None => {
            return Err(TakeoutError::WrongFormat(
                "a JSON file without a `format`".to_owned(),
            ));
        }
    }
    match head.version {
        Some(VERSION) => {}
        Some(found) => return Err(TakeoutError::WrongVersion { found }),
        None => {
            return Err(invalid(
                "version",
                "missing: a takeout says which version it is",
            ));
        }
    }
    serde_json::from_slice(bytes).map_err(located)
}

/// A count kept in a 32-bit column.
fn bounded(at: &str, n: u32) -> Result<(), TakeoutError> {
    if i32::try_from(n).is_err() {
        return Err(invalid(at, format!("{n} is larger than this field holds")));
    }
    Ok(())
}

fn id(at: &str, raw: &str) -> Result<i64, TakeoutError> {
    raw.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| {
        invalid(
            at,
            format!("`{raw}` is not an id: ids are positive whole numbers"),
        )
    })
}

fn item(at: &str, raw: &str) -> Result<ItemId, TakeoutError> {
    ItemId::parse(raw).map_err(|e| invalid(at, e))
}

fn items(at: &str, raw: &[String]) -> Result<Vec<ItemId>, TakeoutError> {
    raw.iter()
        .enumerate()
        .map(|(n, i)| item(&format!("{at}[{n}]"), i))
        .collect()
}

fn visibility(at: &str, raw: &str) -> Result<Visibility, TakeoutError> {
    Visibility::parse(raw)
        .ok_or_else(|| invalid(at, format!("`{raw}` is not private, unlisted or public")))
}

fn budget(at: &str, raw: &str) -> Result<WeeklyBudget, TakeoutError> {
    WeeklyBudget::parse(raw).map_err(|e| invalid(at, e))
}

/// Date breaks with the day each was declared.
fn declared(at: &str, raw: &[DeclaredBreakDoc]) -> Result<Vec<DeclaredBreak>, TakeoutError> {
    raw.iter()
        .enumerate()
        .map(|(n, d)| match d.range.parse::<Break>() {
            Ok(Break::Dates { from, to }) => Ok(DeclaredBreak {
                from,
                to,
                declared_on: d.declared_on,
            }),
            Ok(Break::Weekly { .. }) => Err(invalid(
                format!("{at}[{n}].break"),
                "a declared break is a day or a range of days, not a weekday",
            )),
            Err(e) => Err(invalid(format!("{at}[{n}].break"), e)),
        })
        .collect()
}

/// The changes in order of their days, one a day, each a budget that reads.
fn history(at: &str, raw: &[BudgetChangeDoc]) -> Result<BudgetHistory, TakeoutError> {
    let mut history = BudgetHistory::default();
    for (n, change) in raw.iter().enumerate() {
        let at = format!("{at}[{n}]");
        if history
            .changes()
            .last()
            .is_some_and(|c| c.from >= change.from)
        {
            return Err(invalid(
                format!("{at}.from"),
                "budget changes must be in order of their days, one a day",
            ));
        }
        history.set_from(
            change.from,
            budget(&format!("{at}.budget"), &change.budget)?,
        );
    }
    Ok(history)
}

fn breaks(at: &str, raw: &[String]) -> Result<Vec<Break>, TakeoutError> {
    raw.iter()
        .enumerate()
        .map(|(n, b)| b.parse().map_err(|e| invalid(format!("{at}[{n}]"), e)))
        .collect()
}

fn unique(at: &str, seen: &mut HashSet<i64>, id: i64) -> Result<(), TakeoutError> {
    if seen.insert(id) {
        Ok(())
    } else {
        Err(invalid(at, format!("the id {id} is given twice")))
    }
}

fn settings(doc: &SettingsDoc) -> Result<Settings, TakeoutError> {
    let week_start = parse_weekday(&doc.week_start).ok_or_else(|| {
        invalid(
            "settings.week_start",
            format!("`{}` is not a weekday", doc.week_start),
        )
    })?;
    let pacing = Pacing {
        streak_min_minutes: doc.streak_min_minutes,
        rest_days_per_week: doc.rest_days_per_week,
        ceiling_percent: doc.ceiling_percent,
        making_threshold_percent: doc.making_threshold_percent,
        loosen_delay_days: doc.loosen_delay_days,
    };
    pacing.check().map_err(|e| invalid("settings", e))?;
    let mut delay_history = History::default();
    for (n, change) in doc.loosen_delay_history.iter().enumerate() {
        let at = format!("settings.loosen_delay_history[{n}]");
        if delay_history
            .changes()
            .last()
            .is_some_and(|c| c.from >= change.from)
        {
            return Err(invalid(
                format!("{at}.from"),
                "delay changes must be in order of their days, one a day",
            ));
        }
        if change.days > 60 {
            return Err(invalid(
                format!("{at}.days"),
                "the delay before a looser commitment goes from 0 to 60 days",
            ));
        }
        delay_history.set_from(change.from, change.days);
    }
    Ok(Settings {
        timezone: Zone::parse(&doc.timezone).map_err(|e| invalid("settings.timezone", e))?,
        week_start: WeekStart(week_start),
        pacing,
        delay_history,
    })
}

fn curriculum(
    n: usize,
    c: &CurriculumDoc,
    owner: UserId,
) -> Result<CurriculumRecord, TakeoutError> {
    let at = format!("curricula[{n}]");
    if c.source.len() > MAX_FILE_BYTES {
        return Err(invalid(
            format!("{at}.source"),
            "longer than a curriculum file may be",
        ));
    }
    // A takeout holds stored curricula: the rules added after they were stored do not bind.
    let checked = check_stored_toml(&c.source);
    let parsed = checked.curriculum.clone().ok_or_else(|| {
        let first = checked
            .errors()
            .next()
            .map_or_else(String::new, |d| format!(": {}", d.render("source")));
        invalid(
            format!("{at}.source"),
            format!("the curriculum file has errors{first}"),
        )
    })?;
    if parsed.title != c.title {
        return Err(invalid(
            format!("{at}.title"),
            format!(
                "“{}” is not the title its source gives (“{}”)",
                c.title, parsed.title
            ),
        ));
    }
    if c.version == 0 {
        return Err(invalid(format!("{at}.version"), "versions count from 1"));
    }
    let lineage = match &c.lineage {
        LineageDoc::Original => Lineage::Original,
        LineageDoc::Template { template } => Lineage::Template {
            id: template.clone(),
        },
        LineageDoc::Fork {
            source,
            source_version,
            source_owner,
            source_owner_handle,
            source_title,
            base,
        } => Lineage::Fork(ForkOf {
            source: CurriculumId(id(&format!("{at}.lineage.source"), source)?),
            version: *source_version,
            owner: UserId(id(&format!("{at}.lineage.source_owner"), source_owner)?),
            owner_handle: Handle::parse(source_owner_handle)
                .map_err(|e| invalid(format!("{at}.lineage.source_owner_handle"), e))?,
            title: source_title.clone(),
            base: base.clone(),
        }),
    };
    Ok(CurriculumRecord {
        id: CurriculumId(id(&format!("{at}.id"), &c.id)?),
        owner,
        title: c.title.clone(),
        visibility: visibility(&format!("{at}.visibility"), &c.visibility)?,
        source: c.source.clone(),
        version: c.version,
        lineage,
        created_at: c.created_at,
        updated_at: c.updated_at,
    })
}

fn follow(
    n: usize,
    f: &FollowDoc,
    user: UserId,
    curricula: &HashSet<i64>,
) -> Result<FollowSnapshot, TakeoutError> {
    let at = format!("follows[{n}]");
    let id = FollowId(id(&format!("{at}.id"), &f.id)?);
    let curriculum = self::id(&format!("{at}.curriculum"), &f.curriculum)?;
    if !curricula.contains(&curriculum) {
        return Err(invalid(
            format!("{at}.curriculum"),
            format!(
                "no curriculum {curriculum} in this takeout: a follow must name one of the file's own curricula"
            ),
        ));
    }
    bounded(&format!("{at}.plan_base_minutes"), f.plan_base_minutes)?;
    let follow = Follow {
        id,
        user,
        curriculum: CurriculumId(curriculum),
        budget: budget(&format!("{at}.budget"), &f.budget)?,
        budget_history: history(&format!("{at}.budget_history"), &f.budget_history)?,
        declared: declared(&format!("{at}.breaks_declared"), &f.breaks_declared)?,
        start: f.start,
        breaks: breaks(&format!("{at}.breaks"), &f.breaks)?,
        visibility: visibility(&format!("{at}.visibility"), &f.visibility)?,
        plan_done: items(&format!("{at}.plan_done"), &f.plan_done)?,
        plan_base: Minutes::new(f.plan_base_minutes),
        created_at: f.created_at,
        updated_at: f.updated_at,
    };
    let mut numbers = HashSet::new();
    let revisions = f
        .revisions
        .iter()
        .enumerate()
        .map(|(k, r)| {
            let at = format!("{at}.revisions[{k}]");
            if r.number == 0 || !numbers.insert(r.number) {
                return Err(invalid(
                    format!("{at}.number"),
                    "revision numbers count from 1, once each",
                ));
            }
            bounded(&format!("{at}.number"), r.number)?;
            bounded(&format!("{at}.base_minutes"), r.base_minutes)?;
            Ok(PlanRevision {
                follow: id,
                number: r.number,
                budget: budget(&format!("{at}.budget"), &r.budget)?,
                start: r.start,
                breaks: breaks(&format!("{at}.breaks"), &r.breaks)?,
                done: items(&format!("{at}.done"), &r.done)?,
                base: Minutes::new(r.base_minutes),
                replaced_on: r.replaced_on,
                created_at: r.created_at,
            })
        })
        .collect::<Result<_, _>>()?;
    let mut on_board = HashSet::new();
    let states = f
        .board
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let at = format!("{at}.board[{k}]");
            let item = item(&format!("{at}.item"), &s.item)?;
            if !on_board.insert(item.clone()) {
                return Err(invalid(
                    format!("{at}.item"),
                    format!("`{item}` is on the board twice"),
                ));
            }
            if s.notes.chars().count() > MAX_NOTES_CHARS {
                return Err(invalid(
                    format!("{at}.notes"),
                    format!("notes hold at most {MAX_NOTES_CHARS} characters"),
                ));
            }
            Ok(ItemState {
                item,
                status: ItemStatus::parse(&s.status).ok_or_else(|| {
                    invalid(
                        format!("{at}.status"),
                        format!("`{}` is not todo, doing, done or skipped", s.status),
                    )
                })?,
                notes: s.notes.clone(),
                updated_at: s.updated_at,
            })
        })
        .collect::<Result<_, _>>()?;
    let evidence = f
        .evidence
        .iter()
        .enumerate()
        .map(|(k, e)| {
            let at = format!("{at}.evidence[{k}]");
            // The checks of the browser's form: a web address, bounded lengths.
            let checked = check_evidence(&e.kind, &e.url, &e.title).map_err(|problems| {
                let said: Vec<String> = problems.iter().map(ToString::to_string).collect();
                invalid(at.clone(), said.join("; "))
            })?;
            Ok(Evidence {
                id: EvidenceId(0),
                follow: id,
                item: item(&format!("{at}.item"), &e.item)?,
                kind: checked.kind,
                url: checked.url,
                title: checked.title,
                created_at: e.created_at,
            })
        })
        .collect::<Result<_, _>>()?;
    let mut reviews = Vec::new();
    let mut events = Vec::new();
    let mut reviewed = HashSet::new();
    for (k, r) in f.reviews.iter().enumerate() {
        let at = format!("{at}.reviews[{k}]");
        let item = item(&format!("{at}.item"), &r.item)?;
        if !reviewed.insert(item.clone()) {
            return Err(invalid(
                format!("{at}.item"),
                format!("`{item}` is marked for review twice"),
            ));
        }
        let state = ReviewState::from_json(&r.state.to_string())
            .map_err(|e| invalid(format!("{at}.state"), e))?;
        for (j, e) in r.events.iter().enumerate() {
            events.push(ReviewEvent {
                id: ReviewEventId(0),
                follow: id,
                item: item.clone(),
                grade: Grade::parse(&e.grade).ok_or_else(|| {
                    invalid(
                        format!("{at}.events[{j}].grade"),
                        format!("`{}` is not again, hard, good or easy", e.grade),
                    )
                })?,
                day: e.day,
                created_at: e.created_at,
            });
        }
        reviews.push(ReviewRecord {
            follow: id,
            item,
            state: state.to_json(),
            due: r.due,
            created_at: r.created_at,
            updated_at: r.updated_at,
        });
    }
    let mut rated = HashSet::new();
    let item_reviews = f
        .item_reviews
        .iter()
        .enumerate()
        .map(|(k, r)| {
            let at = format!("{at}.item_reviews[{k}]");
            let item = item(&format!("{at}.item"), &r.item)?;
            if !rated.insert(item.clone()) {
                return Err(invalid(
                    format!("{at}.item"),
                    format!("`{item}` is reviewed twice: a follow has one review per item"),
                ));
            }
            // The checks of the browser's form: half stars, bounded lengths.
            let (rating, text, tip) = check_review(&r.rating.to_string(), &r.text, &r.tip)
                .map_err(|problems| {
                    let said: Vec<String> = problems.iter().map(ToString::to_string).collect();
                    invalid(at.clone(), said.join("; "))
                })?;
            Ok(ItemReviewRecord {
                follow: id,
                item,
                rating,
                text,
                tip,
                created_at: r.created_at,
                updated_at: r.updated_at,
            })
        })
        .collect::<Result<_, _>>()?;
    Ok(FollowSnapshot {
        follow,
        revisions,
        states,
        evidence,
        reviews,
        review_events: events,
        item_reviews,
    })
}

fn log(
    n: usize,
    l: &LogDoc,
    user: UserId,
    follows: &HashSet<i64>,
) -> Result<StudyLog, TakeoutError> {
    let at = format!("logs[{n}]");
    let follow = match &l.follow {
        Some(raw) => {
            let f = id(&format!("{at}.follow"), raw)?;
            if !follows.contains(&f) {
                return Err(invalid(
                    format!("{at}.follow"),
                    format!(
                        "no follow {f} in this takeout: a log must name one of the file's own follows, or none"
                    ),
                ));
            }
            Some(FollowId(f))
        }
        None => None,
    };
    let item = l
        .item
        .as_deref()
        .map(|i| item(&format!("{at}.item"), i))
        .transpose()?;
    // A log keeps its item after its follow is gone (unfollowed, or the curriculum deleted).
    if !(1..=MAX_MINUTES).contains(&l.minutes) {
        return Err(invalid(
            format!("{at}.minutes"),
            format!("a log holds 1 to {MAX_MINUTES} minutes, not {}", l.minutes),
        ));
    }
    if l.note.chars().count() > MAX_NOTE_CHARS {
        return Err(invalid(
            format!("{at}.note"),
            format!("a note has at most {MAX_NOTE_CHARS} characters"),
        ));
    }
    Ok(StudyLog {
        id: LogId(id(&format!("{at}.id"), &l.id)?),
        user,
        follow,
        item,
        minutes: Minutes::new(l.minutes),
        kind: LogKind::parse(&l.kind).ok_or_else(|| {
            invalid(
                format!("{at}.kind"),
                format!("`{}` is not learn, build or review", l.kind),
            )
        })?,
        day: l.day,
        note: l.note.clone(),
        created_at: l.created_at,
    })
}

/// A document's values, checked and typed, as the account `user` will hold them. The ids are
/// the document's, so that rows can name each other; the store makes new ones.
pub fn from_document(doc: &Takeout, user: &User) -> Result<AccountSnapshot, TakeoutError> {
    let owner = user.id;
    let settings = settings(&doc.settings)?;
    let display_name = crate::accounts::parse_display_name(&doc.account.display_name)
        .map_err(|e| invalid("account.display_name", e))?;
    let mut seen = HashSet::new();
    let curricula: Vec<CurriculumRecord> = doc
        .curricula
        .iter()
        .enumerate()
        .map(|(n, c)| {
            let record = curriculum(n, c, owner)?;
            unique(&format!("curricula[{n}].id"), &mut seen, record.id.0)?;
            Ok(record)
        })
        .collect::<Result<_, _>>()?;
    let mut followed = HashSet::new();
    let mut follow_ids = HashSet::new();
    let follows: Vec<FollowSnapshot> = doc
        .follows
        .iter()
        .enumerate()
        .map(|(n, f)| {
            let snapshot = follow(n, f, owner, &seen)?;
            unique(
                &format!("follows[{n}].id"),
                &mut follow_ids,
                snapshot.follow.id.0,
            )?;
            if !followed.insert(snapshot.follow.curriculum) {
                return Err(invalid(
                    format!("follows[{n}].curriculum"),
                    "this curriculum is followed twice: a learner follows a curriculum once",
                ));
            }
            Ok(snapshot)
        })
        .collect::<Result<_, _>>()?;
    let mut log_ids = HashSet::new();
    let logs = doc
        .logs
        .iter()
        .enumerate()
        .map(|(n, l)| {
            let log = log(n, l, owner, &follow_ids)?;
            unique(&format!("logs[{n}].id"), &mut log_ids, log.id.0)?;
            Ok(log)
        })
        .collect::<Result<_, _>>()?;
    let mut numbers = HashSet::new();
    let commitments = doc
        .commitments
        .iter()
        .enumerate()
        .map(|(n, c)| {
            let at = format!("commitments[{n}]");
            if c.number == 0 || !numbers.insert(c.number) {
                return Err(invalid(
                    format!("{at}.number"),
                    "commitments count from 1, once each",
                ));
            }
            bounded(&format!("{at}.number"), c.number)?;
            let weekly = match c.weekly_minutes {
                Some(0) => {
                    return Err(invalid(
                        format!("{at}.weekly_minutes"),
                        "a commitment is more than 0 minutes, or none to pause",
                    ));
                }
                Some(m) if m > 7 * 24 * 60 => {
                    return Err(invalid(
                        format!("{at}.weekly_minutes"),
                        "a week has 10,080 minutes",
                    ));
                }
                other => other.map(Minutes::new),
            };
            Ok(CommitmentRecord {
                id: CommitmentId(0),
                user: owner,
                number: c.number,
                requested_on: c.requested_on,
                weekly,
                created_at: c.created_at,
            })
        })
        .collect::<Result<_, _>>()?;
    let mut keys = HashSet::new();
    for (n, key) in doc.dismissals.iter().enumerate() {
        if key.is_empty() || key.len() > 100 {
            return Err(invalid(
                format!("dismissals[{n}]"),
                "a dismissal key has 1 to 100 characters",
            ));
        }
        if !keys.insert(key) {
            return Err(invalid(format!("dismissals[{n}]"), "given twice"));
        }
    }
    let import_reports = doc
        .curricula
        .iter()
        .zip(&curricula)
        .enumerate()
        .filter_map(|(n, (c, record))| {
            c.import_report.as_ref().map(|r| {
                report(&format!("curricula[{n}].import_report"), r).map(|r| (record.id, r))
            })
        })
        .collect::<Result<_, _>>()?;
    let timer = doc
        .timer
        .as_ref()
        .map(|t| timer(t, owner, &follow_ids))
        .transpose()?;
    let tokens: Vec<ApiToken> = Vec::new();
    let profile = doc
        .profile
        .as_ref()
        .map(profile)
        .transpose()?
        .unwrap_or_default();
    if doc.journal.len() > MAX_JOURNAL_POSTS {
        return Err(invalid(
            "journal",
            format!(
                "{} posts: a takeout holds at most {MAX_JOURNAL_POSTS}",
                doc.journal.len()
            ),
        ));
    }
    let journal = doc
        .journal
        .iter()
        .enumerate()
        .map(|(n, p)| journal_post(n, p, owner, &follow_ids))
        .collect::<Result<_, _>>()?;
    Ok(AccountSnapshot {
        user: User {
            id: owner,
            handle: user.handle.clone(),
            display_name,
            email: user.email.clone(),
            settings,
            created_at: user.created_at,
            data_version: user.data_version,
        },
        curricula,
        follows,
        logs,
        commitments,
        dismissals: doc.dismissals.clone(),
        tokens,
        import_reports,
        timer,
        profile,
        journal,
    })
}

/// The most journal posts a takeout may hold.
const MAX_JOURNAL_POSTS: usize = 100_000;

/// The most remarks an import report keeps, and the longest one.
const MAX_REPORT_NOTES: usize = 1000;
const MAX_REPORT_NOTE_CHARS: usize = 1000;

fn report(at: &str, r: &ImportReportDoc) -> Result<ImportReport, TakeoutError> {
    let formats = crate::import::SourceFormat::ALL.map(|f| f.as_str());
    if !formats.contains(&r.format.as_str()) {
        return Err(invalid(
            format!("{at}.format"),
            format!("`{}` is not one of {}", r.format, formats.join(", ")),
        ));
    }
    if r.notes.len() > MAX_REPORT_NOTES {
        return Err(invalid(
            format!("{at}.notes"),
            format!("a report keeps at most {MAX_REPORT_NOTES} remarks"),
        ));
    }
    for (n, note) in r.notes.iter().enumerate() {
        if note.is_empty() || note.chars().count() > MAX_REPORT_NOTE_CHARS || note.contains('\n') {
            return Err(invalid(
                format!("{at}.notes[{n}]"),
                format!("a remark is one line of 1 to {MAX_REPORT_NOTE_CHARS} characters"),
            ));
        }
    }
    if r.progress.len() > crate::curriculum::MAX_ITEMS {
        return Err(invalid(
            format!("{at}.progress"),
            "more items than a curriculum may have",
        ));
    }
    let progress = r
        .progress
        .iter()
        .enumerate()
        .map(|(n, p)| {
            let here = format!("{at}.progress[{n}]");
            let status = match ItemStatus::parse(&p.status) {
                Some(s @ (ItemStatus::Done | ItemStatus::Doing)) => s,
                _ => {
                    return Err(invalid(
                        format!("{here}.status"),
                        format!("`{}` is not done or doing", p.status),
                    ));
                }
            };
            Ok((item(&format!("{here}.item"), &p.item)?, status))
        })
        .collect::<Result<_, _>>()?;
    Ok(ImportReport {
        format: r.format.clone(),
        notes: r.notes.clone(),
        progress,
        created_at: r.created_at,
    })
}

/// The longest label a timer shows (an item's title).
const MAX_TIMER_LABEL_CHARS: usize = 400;

fn timer(t: &TimerDoc, user: UserId, follows: &HashSet<i64>) -> Result<Timer, TakeoutError> {
    let follow = match &t.follow {
        Some(raw) => {
            let f = id("timer.follow", raw)?;
            if !follows.contains(&f) {
                return Err(invalid(
                    "timer.follow",
                    format!(
                        "no follow {f} in this takeout: a timer names one of the file's own follows, or none"
                    ),
                ));
            }
            Some(FollowId(f))
        }
        None => None,
    };
    if t.label.chars().count() > MAX_TIMER_LABEL_CHARS {
        return Err(invalid(
            "timer.label",
            format!("a label has at most {MAX_TIMER_LABEL_CHARS} characters"),
        ));
    }
    Ok(Timer {
        user,
        follow,
        item: t
            .item
            .as_deref()
            .map(|i| item("timer.item", i))
            .transpose()?,
        kind: LogKind::parse(&t.kind).ok_or_else(|| {
            invalid(
                "timer.kind",
                format!("`{}` is not learn, build or review", t.kind),
            )
        })?,
        label: t.label.clone(),
        started_at: t.started_at,
    })
}

/// The email a takeout gives, for an account made to import it into.
pub fn email_of(doc: &Takeout) -> Result<Email, TakeoutError> {
    Email::parse(&doc.account.email).map_err(|e| invalid("account.email", e.0))
}
