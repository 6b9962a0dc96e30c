//! Sharing: a learner's profile at `/@handle`, composed from one privacy model.
//!
//! Every shared thing has one [`Visibility`](crate::store::Visibility): the profile page, each
//! of its sections ([`Section`](crate::store::Section)), each curriculum, each follow (its
//! progress) and each journal post. A thing inside another is shown at most as widely as the
//! narrowest of them ([`rules::effective`]), so two settings always compose the one way the
//! settings page explains, and "see it as a stranger" is the same function called with another
//! [`Relation`](crate::store::Relation).
//!
//! - `model`: what a profile is made of, and the profile as one viewer sees it;
//! - `rules`: the composition, pure: the owner's data and a relation in, the profile out;
//! - `notebook`: Colab, Binder and nbviewer links for a notebook on GitHub;
//! - `links`: checking evidence links away from any page, and keeping the answers;
//! - `service`: loading a profile, the relation between two learners, following a learner,
//!   the settings and the journal.

mod links;
mod model;
mod notebook;
mod rules;
mod service;

pub use links::{CheckReport, LinkProbe, check_links, status_of};
pub use model::{
    CurriculumCard, FollowData, Profile, ProfileData, ProgressCard, Project, Receipt, Skill,
};
pub use notebook::{NotebookLinks, notebook_links};
pub use rules::{compose, compose_public, effective, progress_visibility};
pub use service::{
    BIO_MAX_CHARS, BODY_MAX_CHARS, FollowLearnerError, JournalError, JournalInput, ProfileAccess,
    ProfileError, TITLE_MAX_CHARS, VisiblePost, answer_follow_request, delete_post, edit_post,
    load_profile, load_profile_data, load_public_profile, own_post, profile_access,
    relation_between, request_follow, save_follow_visibility, save_profile_settings,
    stop_following, visible_post, write_post,
};
