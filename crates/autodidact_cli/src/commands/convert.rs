//! `autodidact import` and `autodidact export`

use std::path::Path;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::Duration;

use anyhow::{Context, Result, anyhow};
use autodidact_core::curriculum::{MAX_FILE_BYTES, write_toml};
use autodidact_core::export::curriculum_markdown;
use autodidact_core::import::{MAX_IMPORT_BYTES, SourceFormat, import_bytes};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{load_curriculum, plural};
use crate::cli::{ExportFormat, ImportFormat};
use crate::files::{read_limited, write_output};

/// How long a conversion runs before the spinner shows.
const SPINNER_DELAY: Duration = Duration::from_secs(1);

/// Where `import --into` applies a file: a curriculum of the local database.
pub struct IntoCurriculum {
    pub curriculum: i64,
    pub user: String,
    pub yes: bool,
    pub database_url: Option<String>,
    pub config: Option<std::path::PathBuf>,
}

fn source_format(from: Option<ImportFormat>) -> Option<SourceFormat> {
    from.map(|f| match f {
        ImportFormat::Trello => SourceFormat::Trello,
        ImportFormat::Markdown => SourceFormat::Markdown,
        ImportFormat::Roadmapsh => SourceFormat::Roadmapsh,
        ImportFormat::Toml => SourceFormat::Toml,
    })
}

/// `import FILE --into ID --user H [--yes]`: what the file would change in the curriculum, by
/// item id, and with `--yes` the change itself, through the same services as the web app.
pub fn import_into(file: &Path, from: Option<ImportFormat>, into: &IntoCurriculum) -> Result<()> {
    use autodidact_core::curricula::{apply_update, preview_update};
    use autodidact_core::store::CurriculumId;
    let bytes = read_limited(file, MAX_IMPORT_BYTES)?;
    let handle =
        autodidact_core::accounts::Handle::parse(&into.user).map_err(|e| anyhow!("--user: {e}"))?;
    let id = CurriculumId(into.curriculum);
    crate::commands::local::with_database(
        into.config.clone(),
        into.database_url.clone(),
        async |db, config| {
            let user = crate::commands::local::learner(db, &handle, config).await?;
            let preview = preview_update(db, user.id, id, &bytes, source_format(from))
                .await
                .map_err(|e| anyhow!("{}: {e}; nothing was changed", file.display()))?;
            let d = &preview.diff;
            println!(
                "{} would change curriculum {} (read as {}): hours {} → {}.",
                file.display(),
                into.curriculum,
                preview.format.as_str(),
                d.hours_before,
                d.hours_after
            );
            if let Some((from, to)) = &d.title {
                println!("  title: “{from}” → “{to}”");
            }
            for i in &d.added {
                println!("  + {} ({}, {})", i.title, i.id, i.minutes);
            }
            for i in &d.changed {
                println!("  ~ {} ({}): {}", i.title, i.id, i.changes.join(", "));
            }
            for i in &d.removed {
                println!(
                    "  - {} ({}, {}); its logged time stays in the logs",
                    i.title, i.id, i.minutes
                );
            }
            if !into.yes {
                println!("Nothing was changed: run again with --yes to apply.");
                return Ok(());
            }
            apply_update(
                db,
                user.id,
                id,
                &preview.source,
                &preview.base,
                jiff::Timestamp::now(),
            )
            .await
            .map_err(|e| anyhow!("{e}; nothing was changed"))?;
            println!("Applied: plans, boards, notes and logs are as they were.");
            Ok(())
        },
    )
}

pub fn import(file: &Path, from: Option<ImportFormat>, output: &Path, force: bool) -> Result<()> {
    // Refuse to overwrite before doing any work, so a mistake costs nothing.
    if output.as_os_str() != "-" && std::fs::symlink_metadata(output).is_ok() && !force {
        anyhow::bail!(
            "{} already exists: pass --force to replace it, or choose another name",
            output.display()
        );
    }
    let busy = Busy::start(format!("reading {}", file.display()));
    let bytes = read_limited(file, MAX_IMPORT_BYTES)?;
    let format = source_format(from);
    let fallback_title = file
        .file_stem()
        .map(|s| s.to_string_lossy().replace(['-', '_'], " "))
        .unwrap_or_else(|| "Imported curriculum".to_owned());
    busy.say(format!("converting {}", file.display()));
    let imported = import_bytes(&bytes, format, &fallback_title)
        .map_err(|e| anyhow!("{}: {e}; nothing was written", file.display()))?;
    let c = &imported.curriculum;
    busy.say(format!("writing {}", output.display()));
    let text = write_toml(c);
    // What `check` would refuse is never written.
    if text.len() > MAX_FILE_BYTES {
        anyhow::bail!(
            "{}: the curriculum would be {:.1} MB, more than the {} MB a curriculum file may be: split the source into several; nothing was written",
            file.display(),
            text.len() as f64 / (1024.0 * 1024.0),
            MAX_FILE_BYTES / (1024 * 1024)
        );
    }
    let busy = busy.stop_before_stdout(Some(output));
    write_output(Some(output), &text, force).context("writing the curriculum")?;
    drop(busy);
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
    let busy = Busy::start(format!("reading {file}"));
    let curriculum = load_curriculum(file)?;
    busy.say("writing the export");
    let text = match to {
        ExportFormat::Markdown => curriculum_markdown(&curriculum),
        ExportFormat::Toml => write_toml(&curriculum),
    };
    let _busy = busy.stop_before_stdout(output);
    write_output(output, &text, force)
}

/// A spinner on standard error while a conversion works: it shows only once the work has
/// taken [`SPINNER_DELAY`], so quick conversions print nothing more, and never when standard
/// error is not a terminal (indicatif draws nothing then). Dropping it clears the line, also
/// when the conversion fails, so an error message starts on a clean line.
#[derive(Debug)]
struct Busy {
    bar: ProgressBar,
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Busy {
    fn start(message: String) -> Self {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
            bar.set_style(style);
        }
        bar.set_message(message);
        let (stop, stopped) = mpsc::channel::<()>();
        let shown = bar.clone();
        // The bar is only ever drawn from this thread, so showing it and clearing it cannot
        // race: it waits for the delay, shows the spinner, then waits for the end.
        let thread = std::thread::Builder::new()
            .name("spinner".to_owned())
            .spawn(move || {
                if let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(SPINNER_DELAY) {
                    shown.set_draw_target(ProgressDrawTarget::stderr());
                    shown.enable_steady_tick(Duration::from_millis(100));
                    let _ = stopped.recv();
                    shown.finish_and_clear();
                }
            })
            .ok();
        Self {
            bar,
            stop: Some(stop),
            thread,
        }
    }

    /// Says what the conversion is doing now.
    fn say(&self, message: impl Into<std::borrow::Cow<'static, str>>) {
        self.bar.set_message(message);
    }

    /// Clears the spinner before the output goes to standard output (`None` or `-`), where it
    /// would share the terminal with it; keeps it while writing a file.
    fn stop_before_stdout(self, output: Option<&Path>) -> Option<Self> {
        output.filter(|p| p.as_os_str() != "-").map(|_| self)
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        // Closing the channel wakes the thread at once, shown or not.
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;

    #[test]
    fn a_quick_conversion_stops_its_spinner_at_once() {
        let started = Instant::now();
        let busy = Busy::start("reading".to_owned());
        busy.say("writing");
        drop(busy);
        assert!(started.elapsed() < SPINNER_DELAY / 2);
    }

    #[test]
    fn a_slow_conversion_shows_its_spinner_and_clears_it() {
        let busy = Busy::start("reading".to_owned());
        std::thread::sleep(SPINNER_DELAY + Duration::from_millis(200));
        let bar = busy.bar.clone();
        drop(busy);
        assert!(bar.is_finished());
    }
}
