//! The curricula that ship with Autodidact.
