//! The composition of a profile for one relation: pure, so that what the owner previews "as a
//! stranger" is by construction what a stranger gets.

use std::collections::BTreeMap;

use super::model::{
    CurriculumCard, FollowData, Profile, ProfileData, ProgressCard, Project, Receipt, Skill,
};
use crate::curriculum::{ItemKind, Minutes};
use crate::insight::activity::Activity;
use crate::store::{
    ItemStatus, JournalPost, Lineage, LogKind, ProfileSettings, Relation, Section, Visibility,
};

/// How widely a section is shown: its own value, never wider than the profile's.
pub fn effective(settings: &ProfileSettings, section: Section) -> Visibility {
    settings.profile.narrowest(settings.section(section))
}

/// How widely one follow's progress (and the projects and skills drawn from it) is shown, in
/// a section shown at `section`: never wider than the follow's own value or its curriculum's.
pub fn progress_visibility(follow: &FollowData, section: Visibility) -> Visibility {
    section
        .narrowest(follow.followed.follow.visibility)
        .narrowest(follow.followed.record.visibility)
}

/// The profile as someone who is `relation` to its owner sees it; `None` when the page itself
/// is not theirs to see.
pub fn compose(data: &ProfileData, relation: Relation) -> Option<Profile> {
    let settings = &data.settings;
    if !settings.profile.shows_to(relation) {
        return None;
    }
    let section = |s: Section| {
        let v = effective(settings, s);
        v.shows_to(relation).then_some(v)
    };
    // The follows listed to this relation within a section shown at `v`.
    let listed = |v: Visibility| {
        data.follows
            .iter()
            .filter(move |f| progress_visibility(f, v).lists_to(relation))
    };
    let mut profile = Profile {
        owner: data.user.id,
        handle: data.user.handle.clone(),
        display_name: data.user.display_name.clone(),
        bio: settings.bio.clone(),
        relation,
        listed: settings.profile == Visibility::Public,
        progress: section(Section::Progress).map(|v| listed(v).map(progress_card).collect()),
        finished: section(Section::Progress).map(|v| finished(listed(v), data)),
        heatmap: section(Section::Heatmap).map(|v| heatmap(listed(v))),
        portfolio: section(Section::Portfolio).map(|v| listed(v).flat_map(projects).collect()),
        journal: section(Section::Journal).map(|v| journal(data, v, relation)),
        curricula: section(Section::Curricula).map(|v| {
            data.curricula
                .iter()
                .filter(|c| v.narrowest(c.visibility).lists_to(relation))
                .map(|c| CurriculumCard {
                    id: c.id,
                    title: c.title.clone(),
                    visibility: c.visibility,
                    copied_from: match &c.lineage {
                        Lineage::Fork(of) => Some(of.owner_handle.clone()),
                        Lineage::Original | Lineage::Template { .. } => None,
                    },
                })
                .collect()
        }),
        skills: section(Section::Skills).map(|v| skills(listed(v), data)),
        today: data.today,
        link_checks: Default::default(),
        zone: data.user.settings.timezone.clone(),
        week_start: data.user.settings.week_start.0,
    };
    keep_checks(&mut profile, data);
    Some(profile)
}

/// The checks of the evidence the profile shows, and of no other address.
fn keep_checks(profile: &mut Profile, data: &ProfileData) {
    let shown: std::collections::HashSet<&str> = profile
        .portfolio
        .iter()
        .flatten()
        .flat_map(|p| p.evidence.iter())
        .chain(
            profile
                .skills
                .iter()
                .flatten()
                .flat_map(|s| s.receipts.iter().flat_map(|r| r.evidence.iter())),
        )
        .chain(
            profile
                .finished
                .iter()
                .flatten()
                .flat_map(|r| r.evidence.iter()),
        )
        .map(|e| e.url.as_str())
        .collect();
    profile.link_checks = data
        .link_checks
        .iter()
        .filter(|c| shown.contains(c.url.as_str()))
        .map(|c| (c.url.clone(), c.clone()))
        .collect();
}

/// What may be published outside Autodidact (the static site): the profile as the public sees
/// it in a list. A section is kept only when it composes to public, so an unlisted part (open
/// to anyone with the address) is not published. `None` unless the profile itself is public.
pub fn compose_public(data: &ProfileData) -> Option<Profile> {
    if data.settings.profile != Visibility::Public {
        return None;
    }
    let mut profile = compose(data, Relation::Stranger)?;
    let public = |s: Section| effective(&data.settings, s) == Visibility::Public;
    if !public(Section::Progress) {
        profile.progress = None;
        profile.finished = None;
    }
    if !public(Section::Heatmap) {
        profile.heatmap = None;
    }
    if !public(Section::Portfolio) {
        profile.portfolio = None;
    }
    if !public(Section::Journal) {
        profile.journal = None;
    }
    if !public(Section::Curricula) {
        profile.curricula = None;
    }
    if !public(Section::Skills) {
        profile.skills = None;
    }
    keep_checks(&mut profile, data);
    Some(profile)
}

fn progress_card(f: &FollowData) -> ProgressCard {
    let p = &f.progress;
    let followed = &f.followed;
    let percent = if p.total == Minutes::ZERO {
        0
    } else {
        let share = u64::from(p.earned_today.get()) * 100 / u64::from(p.total.get());
        u32::try_from(share.min(100)).unwrap_or(100)
    };
    ProgressCard {
        follow: followed.follow.id,
        curriculum: followed.record.id,
        title: followed.record.title.clone(),
        done_items: p.done_items,
        items: p.done_items + p.open_items,
        earned: p.earned_today,
        total: p.total,
        logged: p.logged.values().copied().sum(),
        doing: followed
            .curriculum
            .items()
            .filter(|i| followed.status(&i.id) == ItemStatus::Doing)
            .map(|i| i.title.clone())
            .collect(),
        percent,
    }
}

fn heatmap<'a>(follows: impl Iterator<Item = &'a FollowData>) -> Activity {
    let mut activity = Activity::default();
    for f in follows {
        for (day, minutes) in f.progress.activity.days() {
            activity.add(day, LogKind::Learn, minutes.total());
        }
    }
    activity
}

fn projects(f: &FollowData) -> impl Iterator<Item = Project> + '_ {
    let followed = &f.followed;
    followed
        .curriculum
        .items()
        .filter(|i| matches!(i.kind, ItemKind::Project | ItemKind::Practice))
        .filter_map(move |item| {
            let evidence: Vec<_> = f
                .evidence
                .iter()
                .filter(|e| e.item == item.id)
                .cloned()
                .collect();
            (!evidence.is_empty()).then(|| Project {
                follow: followed.follow.id,
                item: item.id.clone(),
                title: item.title.clone(),
                kind: item.kind,
                curriculum: followed.record.title.clone(),
                status: followed.status(&item.id),
                evidence,
                logged: f.progress.logged.get(&item.id).copied().unwrap_or_default(),
                skills: item.skills.clone(),
            })
        })
}

/// Posts listed to the relation, in a journal section shown at `section`. The item a post is
/// about is named only where that follow's progress is listed to the relation too.
fn journal(data: &ProfileData, section: Visibility, relation: Relation) -> Vec<JournalPost> {
    data.journal
        .iter()
        .filter(|p| section.narrowest(p.visibility).lists_to(relation))
        .map(|p| {
            let mut post = p.clone();
            if let Some((follow, _)) = &post.about {
                let shown = data.follows.iter().any(|f| {
                    f.followed.follow.id == *follow
                        && progress_visibility(f, section).lists_to(relation)
                });
                if !shown {
                    post.about = None;
                }
            }
            post
        })
        .collect()
}

/// The done items of the follows, each as a receipt, with `keep` deciding which.
fn receipts<'a>(
    follows: impl Iterator<Item = &'a FollowData>,
    data: &ProfileData,
    keep: impl Fn(&crate::curriculum::Item, &Receipt) -> bool,
) -> Vec<(Vec<String>, Receipt)> {
    let zone = &data.user.settings.timezone;
    let mut out = Vec::new();
    for f in follows {
        let followed = &f.followed;
        for item in followed.curriculum.items() {
            let Some(state) = followed.states.get(&item.id) else {
                continue;
            };
            if state.status != ItemStatus::Done {
                continue;
            }
            let receipt = Receipt {
                follow: followed.follow.id,
                item: item.id.clone(),
                title: item.title.clone(),
                curriculum: followed.record.title.clone(),
                evidence: f
                    .evidence
                    .iter()
                    .filter(|e| e.item == item.id)
                    .cloned()
                    .collect(),
                logged: f.progress.logged.get(&item.id).copied().unwrap_or_default(),
                finished: zone.date_of(state.updated_at),
            };
            if keep(item, &receipt) {
                out.push((item.skills.clone(), receipt));
            }
        }
    }
    out
}

/// Every finished item, newest first.
fn finished<'a>(follows: impl Iterator<Item = &'a FollowData>, data: &ProfileData) -> Vec<Receipt> {
    let mut all: Vec<Receipt> = receipts(follows, data, |_, _| true)
        .into_iter()
        .map(|(_, r)| r)
        .collect();
    all.sort_by(|a, b| {
        b.finished
            .cmp(&a.finished)
            .then_with(|| a.title.cmp(&b.title))
    });
    all
}

/// Skills carried by finished items with evidence, each with its receipts, by name.
fn skills<'a>(follows: impl Iterator<Item = &'a FollowData>, data: &ProfileData) -> Vec<Skill> {
    let mut by_name: BTreeMap<String, Skill> = BTreeMap::new();
    let shown = receipts(follows, data, |item, r| {
        !item.skills.is_empty() && !r.evidence.is_empty()
    });
    for (names, receipt) in shown {
        for name in &names {
            by_name
                .entry(name.to_lowercase())
                .or_insert_with(|| Skill {
                    name: name.clone(),
                    receipts: Vec::new(),
                })
                .receipts
                .push(receipt.clone());
        }
    }
    by_name.into_values().collect()
}
