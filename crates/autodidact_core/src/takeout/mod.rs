//! The takeout: one JSON document with everything a learner owns, and its import into an empty
//! account on this server or another, on either database.
//!
//! - `model`: the document (`docs/takeout.md` describes it field by field);
//! - `rules`: the account as a document and back, with every check an import makes before
//!   anything is written (size, format, version, references, each value);
//! - `service`: export and import over the `Store` traits.
//!
//! Export → import → export gives the same document but for the ids (new ones are made), the
//! time of the export, and the tokens, which are never imported (their secrets stay on the
//! server that made them).

mod model;
mod rules;
mod service;

pub use model::*;
pub use rules::{
    MAX_TAKEOUT_BYTES, TakeoutError, email_of, from_document, read_document, to_document,
};
pub use service::{ImportError, Imported, check_takeout, export_account, import_account};
