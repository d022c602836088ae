//! JSON Schema (draft-07) for `site.yaml` and partner files, generated from the model's types
//! with schemars, so editors with a YAML language server validate and complete them.

use std::path::{Path, PathBuf};

use schemars::generate::SchemaSettings;

use crate::model::partner::PartnerFile;
use crate::model::site::SiteFile;

/// The folder, inside the site, where `advocate schema` writes.
pub(crate) const DIR: &str = "schemas";
pub(crate) const SITE_SCHEMA: &str = "site.schema.json";
pub(crate) const PARTNER_SCHEMA: &str = "partner.schema.json";

/// The comment line that opens `site.yaml`.
pub const SITE_HEADER: &str = "# yaml-language-server: $schema=schemas/site.schema.json";
/// The comment line that opens a partner file (two folders below the site root).
pub const PARTNER_HEADER: &str =
    "# yaml-language-server: $schema=../../schemas/partner.schema.json";

/// The two schemas as (file name, JSON text).
pub fn schemas() -> [(&'static str, String); 2] {
    let generator = || SchemaSettings::draft07().into_generator();
    let mut site = generator().into_root_schema_for::<SiteFile>();
    site.insert("title".into(), "advocate site.yaml".into());
    let mut partner = generator().into_root_schema_for::<PartnerFile>();
    partner.insert("title".into(), "advocate partner file".into());
    let text = |schema: &schemars::Schema| {
        let mut json = serde_json::to_string_pretty(schema).unwrap_or_default();
        json.push('\n');
        json
    };
    [(SITE_SCHEMA, text(&site)), (PARTNER_SCHEMA, text(&partner))]
}

/// Writes both schemas into `root/schemas/`; returns the files written.
pub fn write(root: &Path) -> std::io::Result<Vec<PathBuf>> {
    let dir = root.join(DIR);
    std::fs::create_dir_all(&dir)?;
    schemas()
        .into_iter()
        .map(|(name, json)| {
            let path = dir.join(name);
            std::fs::write(&path, json)?;
            Ok(path)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_are_draft_07_and_know_the_fields() {
        let [(_, site), (_, partner)] = schemas();
        let site: serde_json::Value = serde_json::from_str(&site).unwrap();
        assert_eq!(site["$schema"], "http://json-schema.org/draft-07/schema#");
        assert!(site["properties"]["owner"].is_object());
        assert_eq!(site["additionalProperties"], false);
        let partner: serde_json::Value = serde_json::from_str(&partner).unwrap();
        let required: Vec<&str> = partner["required"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|v| v.as_str())
            .collect();
        assert_eq!(required, ["name", "business"]);
        assert!(partner["properties"]["referrals"].is_object());
    }
}
