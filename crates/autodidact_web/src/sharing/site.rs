//! The static site of a public profile: `index.html`, a page per public journal post, the
//! stylesheet, an Atom feed and a JSON Resume-style `resume.json` built from the skills with
//! evidence. Every link is relative or points outside, so the folder works from the file
//! system, on GitHub Pages, or anywhere, without Autodidact. Only what
//! `sharing::compose_public` keeps is in it.

use askama::Template;
use autodidact_core::sharing::Profile;
use autodidact_core::store::Section;
use jiff::Timestamp;
use serde_json::{Value, json};

use super::feed::{FeedLinks, atom};
use super::views::{
    Links, SiteIndex, SitePost, bio_html, profile_heatmap, sections, site_post_path,
};
use crate::markdown::render;

/// One file of the site: its path under the site's folder, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The name of the file that marks a folder as a site written here, so that writing a new
/// site may replace it (and nothing else).
pub const SITE_MARKER: &str = ".autodidact-site";

/// A bio or post as one plain line, for a description.
fn plain_summary(markdown: &str, max_chars: usize) -> String {
    let text: String = markdown
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| !matches!(c, '*' | '_' | '#' | '`'))
        .collect();
    if text.chars().count() > max_chars {
        let cut: String = text.chars().take(max_chars.saturating_sub(1)).collect();
        format!("{cut}…")
    } else {
        text
    }
}

/// The description of a profile for cards and search: its bio, or a sentence from its parts.
pub fn describe(profile: &Profile) -> String {
    if !profile.bio.trim().is_empty() {
        return plain_summary(&profile.bio, 200);
    }
    let curricula = profile.progress.as_ref().map_or(0, Vec::len);
    let finished = profile.finished.as_ref().map_or(0, Vec::len);
    format!(
        "@{} on Autodidact: {curricula} curricula in progress, {finished} items finished.",
        profile.handle
    )
}

/// Every file of the site, in a fixed order.
pub fn build_site(profile: &Profile, now: Timestamp) -> Result<Vec<SiteFile>, askama::Error> {
    let zone = &profile.zone;
    let s = sections(profile, zone, Links::Site);
    let index = SiteIndex {
        handle: profile.handle.to_string(),
        display_name: profile.display_name.clone(),
        bio_html: bio_html(&profile.bio),
        og_description: describe(profile),
        seen_as: "stranger",
        progress: s.progress,
        finished: s.finished,
        heatmap: profile_heatmap(profile),
        portfolio: s.portfolio,
        journal: s.journal,
        curricula: s.curricula,
        skills: s.skills,
        generated: profile.today.to_string(),
    };
    let mut files = vec![
        SiteFile {
            path: "index.html".to_owned(),
            bytes: index.render()?.into_bytes(),
        },
        SiteFile {
            path: "style.css".to_owned(),
            bytes: crate::caching::CSS.body.as_bytes().to_vec(),
        },
    ];
    for post in profile.journal.iter().flatten() {
        let page = SitePost {
            handle: profile.handle.to_string(),
            display_name: profile.display_name.clone(),
            title: post.title.clone(),
            date: zone.date_of(post.created_at).to_string(),
            body_html: render(&post.body),
        };
        files.push(SiteFile {
            path: site_post_path(post),
            bytes: page.render()?.into_bytes(),
        });
    }
    let post_link = |p: &autodidact_core::store::JournalPost| site_post_path(p);
    let links = FeedLinks {
        home: "index.html".to_owned(),
        post: &post_link,
        own: "feed.xml".to_owned(),
    };
    files.push(SiteFile {
        path: "feed.xml".to_owned(),
        bytes: atom(profile, &links, now).into_bytes(),
    });
    let resume = serde_json::to_vec_pretty(&resume(profile)).unwrap_or_default();
    files.push(SiteFile {
        path: "resume.json".to_owned(),
        bytes: resume,
    });
    files.push(SiteFile {
        path: SITE_MARKER.to_owned(),
        bytes: format!(
            "A site of @{}'s public profile, written by Autodidact on {}.\n",
            profile.handle, profile.today
        )
        .into_bytes(),
    });
    Ok(files)
}

/// A JSON Resume-style document (jsonresume.org): the basics, the projects with evidence, and
/// the skills, each with the evidence that shows it. Only the profile's public parts.
pub fn resume(profile: &Profile) -> Value {
    let projects: Vec<Value> = profile
        .portfolio
        .iter()
        .flatten()
        .map(|p| {
            json!({
                "name": p.title,
                "description": format!("{} in {}", p.kind.as_str(), p.curriculum),
                "url": p.evidence.first().map(|e| e.url.clone()),
                "keywords": p.skills,
                "highlights": p.evidence.iter().map(|e| e.title.clone()).collect::<Vec<_>>(),
            })
        })
        .collect();
    let skills: Vec<Value> = profile
        .skills
        .iter()
        .flatten()
        .map(|s| {
            json!({
                "name": s.name,
                "keywords": s.receipts.iter().map(|r| r.title.clone()).collect::<Vec<_>>(),
                "evidence": s.receipts.iter().flat_map(|r| r.evidence.iter().map(|e| e.url.clone())).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "$schema": "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json",
        "basics": {
            "name": profile.display_name,
            "label": format!("@{}", profile.handle),
            "summary": profile.bio,
        },
        "projects": projects,
        "skills": skills,
        "meta": {
            "canonical": "index.html",
            "version": "v1.0.0",
            "lastModified": profile.today.to_string(),
            "sections": Section::ALL
                .into_iter()
                .filter(|s| match s {
                    Section::Progress => profile.progress.is_some(),
                    Section::Heatmap => profile.heatmap.is_some(),
                    Section::Portfolio => profile.portfolio.is_some(),
                    Section::Journal => profile.journal.is_some(),
                    Section::Curricula => profile.curricula.is_some(),
                    Section::Skills => profile.skills.is_some(),
                })
                .map(Section::as_str)
                .collect::<Vec<_>>(),
        },
    })
}

/// The site as one zip file (stored, not compressed: a site is small, and the archive then
/// needs no compression library).
pub fn zip_site(files: &[SiteFile]) -> Result<Vec<u8>, zip::result::ZipError> {
    use std::io::Write as _;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for f in files {
        zip.start_file(f.path.as_str(), options)?;
        zip.write_all(&f.bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}
