//! The handout projection: what a blank workbook and the printable guide may know, and nothing
//! else. They are handed to whole classes and published on the public site, so they are built
//! from a [`HandoutView`], never from the [`Site`]: it has the guide, the site's title and
//! language, the day, the default cadence, the owner's public name and business and the
//! trainer's branding, and no field that could hold a partner or the owner's email, phone,
//! answers, targets or offer.

use super::Site;
use super::branding::{Branding, Logo};
use super::guide::Guide;
use super::site::Cadence;
use crate::source::Date;

#[derive(Debug, Clone)]
pub struct HandoutView {
    pub(crate) title: String,
    pub(crate) language: String,
    pub(crate) as_of: Date,
    pub(crate) owner_name: String,
    pub(crate) owner_business: String,
    /// The site's default cadence, which a blank agreement sheet proposes.
    pub(crate) cadence: Cadence,
    pub(crate) guide: Guide,
    /// The trainer's branding (public by definition: it is printed on the handouts).
    pub(crate) branding: Branding,
    pub(crate) logo: Option<Logo>,
}

impl HandoutView {
    /// Projects `site` onto what a handout may print.
    pub fn project(site: &Site) -> HandoutView {
        let config = &site.config;
        HandoutView {
            title: config.title.clone(),
            language: config.language.clone(),
            as_of: site.as_of,
            owner_name: config.owner.name.clone(),
            owner_business: config.owner.business.clone(),
            cadence: config.cadence.clone(),
            guide: site.guide.clone(),
            branding: config.branding.clone().unwrap_or_default(),
            logo: site.logo.clone(),
        }
    }
}
