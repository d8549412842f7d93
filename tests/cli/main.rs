//! The integration tests, one binary (so that a change relinks once): the commands end to
//! end, as a user runs them, and the outputs read back.

mod common;

mod commands;
mod compile;
mod compose;
mod docx;
mod figures;
mod hostile;
mod import;
mod pdf;
mod regenerate;
mod serve;
mod text_figures;
mod text_rules;
mod validation;
