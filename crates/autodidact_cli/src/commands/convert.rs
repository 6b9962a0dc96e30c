//! `autodidact import` and `autodidact export`

use std::path::Path;

use anyhow::{Context, Result, anyhow};
use autodidact_core::curriculum::write_toml;
use autodidact_core::export::curriculum_markdown;
use autodidact_core::import::{MAX_IMPORT_BYTES, SourceFormat, import_bytes};

use super::{load_curriculum, plural};
use crate::cli::{ExportFormat, ImportFormat};
use crate::files::{read_limited, write_output};

pub fn import(file: &Path, from: Option<ImportFormat>, output: &Path, force: bool) -> Result<()> {
    // Refuse to overwrite before doing any work, so a mistake costs nothing.
    if output.as_os_str() != "-" && output.exists() && !force {
        anyhow::bail!(
            "{} already exists: pass --force to replace it, or choose another name",
            output.display()
        );
    }
    let bytes = read_limited(file, MAX_IMPORT_BYTES)?;
    let format = from.map(|f| match f {
        ImportFormat::Trello => SourceFormat::Trello,
        ImportFormat::Markdown => SourceFormat::Markdown,
        ImportFormat::Roadmapsh => SourceFormat::Roadmapsh,
        ImportFormat::Toml => SourceFormat::Toml,
    });
    let fallback_title = file
        .file_stem()
        .map(|s| s.to_string_lossy().replace(['-', '_'], " "))
        .unwrap_or_else(|| "Imported curriculum".to_owned());
    let imported = import_bytes(&bytes, format, &fallback_title)
        .map_err(|e| anyhow!("{}: {e}; nothing was written", file.display()))?;
    let c = &imported.curriculum;
    write_output(Some(output), &write_toml(c), force).context("writing the curriculum")?;
    eprintln!(
        "Imported {} as {}: {} in {}, {} planned.",
        file.display(),
        imported.format.as_str(),
        plural(c.items().count(), "item"),
        plural(c.phases.len(), "phase"),
        c.total_planned()
    );
    for note in &imported.notes {
        eprintln!("  - {note}");
    }
    Ok(())
}

pub fn export(file: &str, to: ExportFormat, output: Option<&Path>, force: bool) -> Result<()> {
    let curriculum = load_curriculum(file)?;
    let text = match to {
        ExportFormat::Markdown => curriculum_markdown(&curriculum),
        ExportFormat::Toml => write_toml(&curriculum),
    };
    write_output(output, &text, force)
}
