//! `advocate`: a static-site guide and workbook generator for advocacy relationships.
//!
//! The pipeline: [`source`] reads files into the [`model`] (loaded once, checked, progress
//! derived); [`site`] renders the private site from the model and the public site from its
//! [`model::public::PublicView`]; [`output`] writes everything atomically.

pub mod artifact;
pub mod engine;
pub mod model;
pub mod output;
pub mod present;
pub mod scaffold;
pub mod schema;
pub mod serve;
pub mod site;
pub mod source;
pub mod workbook;
