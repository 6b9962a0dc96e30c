//! Argument definitions. Every command and flag has help text: `autodidact help <command>`.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "autodidact",
    version,
    about = "Design your own degree, plan it from the hours you have, and follow it.",
    long_about = "Autodidact turns a curriculum (phases, items, hours and prerequisites) into a dated \
                  plan from the hours you have each week.\n\nStart with `autodidact templates`, copy one \
                  with `autodidact new --from <id> my-degree.toml`, then `autodidact plan my-degree.toml`."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate a curriculum file and report every problem at once.
    Check {
        /// The curriculum file (TOML).
        file: PathBuf,
    },
    /// Turn a curriculum into a dated plan from a weekly hour budget.
    Plan(PlanArgs),
    /// List the curricula that ship with Autodidact.
    Templates {
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// Copy a shipped curriculum into a file to edit.
    New {
        /// The template id, as `autodidact templates` lists it.
        #[arg(long = "from", value_name = "TEMPLATE")]
        template: String,
        /// Where to write the curriculum.
        file: PathBuf,
        /// Replace the file if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Convert a Trello board export, a Markdown checklist or a roadmap.sh JSON into a curriculum file.
    Import {
        /// The file to import (at most 32 MB).
        file: PathBuf,
        /// The input format; detected from the content when left out.
        #[arg(long = "from", value_enum)]
        from: Option<ImportFormat>,
        /// Where to write the curriculum (TOML); `-` for standard output.
        #[arg(
            short,
            long,
            value_name = "OUT",
            required_unless_present = "into",
            conflicts_with = "into"
        )]
        output: Option<PathBuf>,
        /// Replace the output file if it exists.
        #[arg(long)]
        force: bool,
        /// Instead of writing a file, update this curriculum of the local database (its id,
        /// from its address) by item id; prints what would change, and changes it with --yes.
        #[arg(long, value_name = "CURRICULUM", requires = "user")]
        into: Option<i64>,
        /// With --into: the handle of the curriculum's owner.
        #[arg(long, value_name = "HANDLE")]
        user: Option<String>,
        /// With --into: apply the changes (without it, they are only shown).
        #[arg(long, requires = "into")]
        yes: bool,
        /// With --into: the database, as for `serve` [default: SQLite in the user's data
        /// directory].
        #[arg(long, env = "AUTODIDACT_DATABASE_URL", value_name = "URL")]
        database_url: Option<String>,
        /// With --into: a config file, as for `serve`.
        #[arg(long, env = "AUTODIDACT_CONFIG", value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// Log study time, in the local database (--user) or on a server (--server, --token).
    Log(crate::commands::log::LogArgs),
    /// Summarise a week from the local database: time by item and kind, what was finished,
    /// the streak, the commitment and next week's plan.
    Week(crate::commands::week::WeekArgs),
    /// Write a learner's public profile as a static site: pages, an Atom feed and a
    /// resume.json, for GitHub Pages or any web server; only what is public.
    Site(crate::commands::site::SiteArgs),
    /// Check that evidence links are still there, away from any page (run it daily).
    Links(crate::commands::links::LinksArgs),
    /// Run the web app (SQLite by default; PostgreSQL with --database-url postgres://…).
    Serve(crate::config::ServerArgs),
    /// Apply database migrations and exit.
    Migrate(crate::config::ServerArgs),
    /// Print docs/CONFIG.md, generated from the settings.
    #[command(hide = true)]
    ConfigDoc,
    /// A learner's whole account in the local database: takeout, import, delete, password link.
    Account(crate::commands::account::AccountArgs),
    /// List or change the throttles' limits (sign-ins, password checks, sign-ups, password
    /// links), kept in the database.
    Limits(crate::commands::limits::LimitsArgs),
    /// Check the database: the file's integrity and the running totals against the logs.
    Verify(crate::commands::verify::VerifyArgs),
    /// Copy a SQLite database online, consistently, into a new file (writes go on meanwhile).
    Backup(crate::commands::backup::BackupArgs),
    /// Put a backup in place of the SQLite database (checked first; stop the server).
    Restore(crate::commands::backup::RestoreArgs),
    /// Write a demo learner a year into their studies, to sign in as and look around.
    Demo(crate::commands::demo::DemoArgs),
    /// Fill a fresh database with generated learners and sessions for bench/load.sh.
    #[command(hide = true)]
    SeedLoad(crate::commands::seed::SeedArgs),
    /// Write a curriculum in another format.
    Export {
        /// The curriculum file (TOML), or the id of a shipped template.
        file: String,
        /// The format to write.
        #[arg(long, value_enum, default_value_t = ExportFormat::Markdown)]
        to: ExportFormat,
        /// Where to write; standard output when left out.
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
        /// Replace the output file if it exists.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, clap::Args)]
pub struct PlanArgs {
    /// The curriculum file (TOML), or the id of a shipped template.
    pub file: String,
    /// Hours a week (`20`), or hours per weekday (`mon=2,wed=2,sat=6`). Defaults to the
    /// curriculum's suggested hours per week.
    #[arg(long, value_name = "HOURS")]
    pub hours: Option<String>,
    /// The first day of study (YYYY-MM-DD). Defaults to today.
    #[arg(long, value_name = "DATE")]
    pub start: Option<String>,
    /// Time off: a date, a range (2026-12-21..2027-01-03) or a weekly rest day (sun). Repeatable.
    #[arg(long = "break", value_name = "BREAK")]
    pub breaks: Vec<String>,
    /// Ids of items already done, comma-separated or repeated.
    #[arg(long, value_name = "IDS", value_delimiter = ',')]
    pub done: Vec<String>,
    /// The first day of a week.
    #[arg(long, default_value = "mon", value_name = "DAY")]
    pub week_start: String,
    /// How to print the plan.
    #[arg(long, value_enum, default_value_t = PlanFormat::Table)]
    pub format: PlanFormat,
    /// Where to write; standard output when left out.
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// Replace the output file if it exists.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    Table,
    Markdown,
    Json,
    Ics,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Markdown,
    Toml,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ImportFormat {
    Trello,
    Markdown,
    Roadmapsh,
    Toml,
}
