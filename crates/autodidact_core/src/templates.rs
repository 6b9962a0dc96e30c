//! The curricula that ship with Autodidact, transcribed from self-taught learners' own plans.
//!
//! The files live in `templates/` and are compiled into the binary, so `autodidact new` and the
//! web app can offer them with no data directory.

use crate::curriculum::{Curriculum, Diagnostic, check_toml};

/// A shipped curriculum file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Template {
    /// Stable id, the file's stem: `deep-learning-in-six-months`.
    pub id: &'static str,
    /// The TOML text, as a learner would edit it.
    pub source: &'static str,
}

macro_rules! template {
    ($id:literal) => {
        Template {
            id: $id,
            source: include_str!(concat!("../templates/", $id, ".toml")),
        }
    };
}

const TEMPLATES: [Template; 5] = [
    template!("deep-learning-in-six-months"),
    template!("ml-and-dl-in-four-months"),
    template!("ml-beginner-path"),
    template!("ml-advanced-path"),
    template!("back-to-basics-data-first"),
];

pub fn all() -> &'static [Template] {
    &TEMPLATES
}

pub fn find(id: &str) -> Option<&'static Template> {
    TEMPLATES.iter().find(|t| t.id == id)
}

impl Template {
    /// The parsed curriculum. Shipped files are checked by the test suite, so an error here
    /// is a bug in the file, reported with its diagnostics.
    pub fn curriculum(&self) -> Result<Curriculum, Vec<Diagnostic>> {
        let checked = check_toml(self.source);
        checked.curriculum.ok_or(checked.diagnostics)
    }
}
