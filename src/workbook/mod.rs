//! PDF: the stage workbooks, the blank handouts and the printable guide.

pub mod blocks;
pub mod fonts;
pub mod layout;
pub mod pdf;
pub mod style;
