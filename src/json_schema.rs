//! JSON Schemas for the two TOML files a user writes, rule files and
//! `corpuslint.toml`, derived from the serde types that read them (so they
//! cannot drift apart) and published in `docs/schema/` for editors: Taplo
//! and Even Better TOML validate and complete TOML against a JSON Schema.
//!
//! The schemas follow draft 7, which TOML editors support widely. TOML has
//! no null, so optional keys are simply not required.

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema};
use serde_json::Value;

/// A schema that corpuslint publishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Published {
    /// Rule files (`rules/**/*.toml`, `--rules` folders).
    RuleFile,
    /// `corpuslint.toml`.
    Config,
}

impl Published {
    pub const ALL: [Published; 2] = [Published::RuleFile, Published::Config];

    /// Where the schema is checked in, relative to the repository.
    pub fn path(self) -> &'static str {
        match self {
            Published::RuleFile => "docs/schema/rule-file.schema.json",
            Published::Config => "docs/schema/corpuslint.schema.json",
        }
    }

    /// The `corpuslint schema` argument that prints it.
    pub fn argument(self) -> &'static str {
        match self {
            Published::RuleFile => "rules",
            Published::Config => "config",
        }
    }

    /// The command that regenerates the checked-in file.
    pub fn regenerate(self) -> String {
        format!(
            "cargo run --release -- schema {} > {}",
            self.argument(),
            self.path()
        )
    }

    pub fn schema(self) -> Schema {
        match self {
            Published::RuleFile => generate::<crate::rules::schema::RuleFile>(),
            Published::Config => generate::<crate::config::Raw>(),
        }
    }

    /// The schema as the checked-in file holds it: pretty JSON, one final
    /// newline.
    pub fn text(self) -> String {
        let mut text =
            serde_json::to_string_pretty(&self.schema()).expect("a schema serializes to JSON");
        text.push('\n');
        text
    }
}

fn generate<T: JsonSchema>() -> Schema {
    let mut value = SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<T>()
        .to_value();
    drop_null(&mut value);
    Schema::try_from(value).expect("still a schema object")
}

/// Removes `null` from `type` lists and `null` defaults: TOML has no null,
/// so an optional key is one that may be left out.
fn drop_null(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let only = types.remove(0);
                    map.insert("type".into(), only);
                }
            }
            if map.get("default") == Some(&Value::Null) {
                map.remove("default");
            }
            if let Some(Value::Array(any_of)) = map.get_mut("anyOf") {
                any_of.retain(|s| s.get("type") != Some(&Value::from("null")));
                if any_of.len() == 1 {
                    let only = any_of.remove(0);
                    map.remove("anyOf");
                    // Draft 7 ignores the siblings of a `$ref` (such as a
                    // description): keep the reference in an `allOf`.
                    if only.get("$ref").is_some() {
                        map.insert("allOf".into(), Value::Array(vec![only]));
                    } else if let Value::Object(inner) = only {
                        for (k, v) in inner {
                            map.entry(k).or_insert(v);
                        }
                    }
                }
            }
            map.values_mut().for_each(drop_null);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_null),
        _ => {}
    }
}
