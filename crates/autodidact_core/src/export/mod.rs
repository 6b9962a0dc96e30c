//! Writing curricula and plans in other formats.

pub mod markdown;
