//! `autodidact templates` and `autodidact new --from TEMPLATE FILE`

use std::path::Path;

use anyhow::{Result, anyhow};
use autodidact_core::templates;
use serde::Serialize;

use super::plural;
use crate::cli::ListFormat;
use crate::files::write_output;

#[derive(Serialize)]
struct TemplateRow {
    id: &'static str,
    title: String,
    phases: usize,
    items: usize,
    hours: f64,
    hours_per_week: Option<f64>,
}

pub fn list(format: ListFormat) -> Result<()> {
    let mut rows = Vec::new();
    for template in templates::all() {
        let c = template
            .curriculum()
            .map_err(|_| anyhow!("the shipped template `{}` is broken", template.id))?;
        rows.push(TemplateRow {
            id: template.id,
            title: c.title.clone(),
            phases: c.phases.len(),
            items: c.items().count(),
            hours: c.total_planned().hours(),
            hours_per_week: c.hours_per_week.map(|m| m.hours()),
        });
    }
    match format {
        ListFormat::Json => println!("{}", serde_json::to_string_pretty(&rows)?),
        ListFormat::Table => {
            let id_width = rows.iter().map(|r| r.id.len()).max().unwrap_or(2);
            let title_width = rows
                .iter()
                .map(|r| r.title.chars().count())
                .max()
                .unwrap_or(5);
            println!(
                "{:id_width$}  {:title_width$}  {:>7}  {:>8}",
                "ID", "TITLE", "HOURS", "H/WEEK"
            );
            for r in &rows {
                let weekly = r
                    .hours_per_week
                    .map_or_else(|| "-".to_owned(), |h| format!("{h}"));
                println!(
                    "{:id_width$}  {:title_width$}  {:>7}  {:>8}",
                    r.id, r.title, r.hours, weekly
                );
            }
            println!(
                "\nCopy one to edit: autodidact new --from {} my-degree.toml",
                rows.first().map_or("ID", |r| r.id)
            );
        }
    }
    Ok(())
}

pub fn new(id: &str, file: &Path, force: bool) -> Result<()> {
    let template = templates::find(id).ok_or_else(|| {
        let ids: Vec<&str> = templates::all().iter().map(|t| t.id).collect();
        anyhow!(
            "there is no template `{id}`: choose one of {}",
            ids.join(", ")
        )
    })?;
    write_output(Some(file), template.source, force)?;
    let c = template
        .curriculum()
        .map_err(|_| anyhow!("the shipped template `{id}` is broken"))?;
    eprintln!(
        "Wrote {} ({}, {}). Edit it, then: autodidact plan {}",
        file.display(),
        plural(c.items().count(), "item"),
        c.total_planned(),
        file.display()
    );
    Ok(())
}
