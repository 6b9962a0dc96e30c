//! Turning other tools' exports into curricula.
