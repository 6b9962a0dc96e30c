//! Curricula: the model, its TOML file format, and the rules a valid one follows.

mod file;
mod model;
mod validate;

pub use file::{
    Checked, Diagnostic, MAX_FILE_BYTES, check_stored_toml, check_toml, is_web_url, line_col,
    write_toml,
};
pub use model::{
    Curriculum, Effort, EstimateSource, HoursError, Item, ItemId, ItemIdError, ItemKind, Minutes,
    Mode, Phase, Tenths, slugify,
};
pub use validate::{
    CurriculumField, ItemField, Location, MAX_ITEMS, MAX_TITLE_CHARS, PhaseField, Problem,
    ProblemKind, Severity, find_cycles, validate,
};
