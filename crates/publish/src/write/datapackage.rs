//! A Frictionless Data Package (datapackage.json) describing every table of
//! a release: each CSV (field types, titles, descriptions and units,
//! primary and foreign keys, missing values, the CSV dialect, its size and
//! sha256), lineage, which is published as Parquet only; the licence, the
//! publisher, the version, and every source file the figures were read
//! from, with its sha256.

use super::Output;
use crate::release::Release;
use crate::table::{Column, Kind, Table};
use serde_json::{json, Value as Json};
use sha2::{Digest, Sha256};

fn field(c: &Column, key: bool) -> Json {
    let ty = match c.kind {
        Kind::Text => "string",
        Kind::Int | Kind::Signed => "integer",
        Kind::Number | Kind::Decimal(_) => "number",
        Kind::Bool => "boolean",
        Kind::Date => "date",
        Kind::List(_) => "list",
    };
    let mut f = json!({
        "name": c.name,
        "type": ty,
        "title": c.title,
        "description": c.description,
    });
    if let Kind::List(delimiter) = c.kind {
        f["delimiter"] = json!(delimiter);
        f["itemType"] = json!("string");
    }
    if let Some(u) = &c.unit {
        f["unit"] = json!(u);
    }
    let mut constraints = serde_json::Map::new();
    if key {
        constraints.insert("required".into(), json!(true));
    }
    if c.kind == Kind::Int {
        constraints.insert("minimum".into(), json!(0));
    }
    if !constraints.is_empty() {
        f["constraints"] = Json::Object(constraints);
    }
    f
}

fn resource(t: &Table, file: Option<&Output>) -> Json {
    let fields: Vec<Json> = t
        .columns
        .iter()
        .map(|c| field(c, t.key.contains(&c.name)))
        .collect();
    let mut schema = json!({
        "fields": fields,
        "primaryKey": t.key,
    });
    if !t.foreign_keys.is_empty() {
        schema["foreignKeys"] = t
            .foreign_keys
            .iter()
            .map(|k| {
                json!({
                    "fields": k.fields,
                    "reference": { "resource": k.table, "fields": k.reference },
                })
            })
            .collect();
    }
    let mut r = if t.parquet_only() {
        json!({
            "name": t.name,
            "path": format!("{}.parquet", t.name),
            "profile": "tabular-data-resource",
            "title": t.title,
            "description": t.description,
            "format": "parquet",
            "mediatype": "application/vnd.apache.parquet",
        })
    } else {
        schema["missingValues"] = json!([""]);
        json!({
            "name": t.name,
            "path": format!("{}.csv", t.name),
            "profile": "tabular-data-resource",
            "title": t.title,
            "description": t.description,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "dialect": {
                "delimiter": ",",
                "lineTerminator": "\r\n",
                "quoteChar": "\"",
                "doubleQuote": true,
                "header": true
            },
        })
    };
    if let Some(o) = file {
        r["hash"] = json!(format!("sha256:{}", o.sha256));
        // frictionless reads a Parquet file through a reader that counts
        // no bytes, and would call any byte count wrong.
        if !t.parquet_only() {
            r["bytes"] = json!(o.bytes);
        }
    }
    r["schema"] = schema;
    r
}

/// The package's version: the campaign's, or "1.0.0+" and the start of a
/// hash of every file it describes, so the same tables give the same
/// version and any change to them another.
fn version(release: &Release, files: &[Output]) -> String {
    if let Some(v) = release.publisher.as_ref().and_then(|p| p.version.clone()) {
        return v;
    }
    let mut h = Sha256::new();
    for o in files {
        h.update(o.name.as_bytes());
        h.update(b"\0");
        h.update(o.sha256.as_bytes());
        h.update(b"\n");
    }
    format!("1.0.0+{}", &hex::encode(h.finalize())[..12])
}

/// The package for `release`, whose other files (`files`: every CSV and
/// Parquet file, as written) it gives the size and sha256 of.
pub fn datapackage(release: &Release, files: &[Output]) -> Json {
    let file = |t: &Table| {
        let name = if t.parquet_only() {
            format!("{}.parquet", t.name)
        } else {
            format!("{}.csv", t.name)
        };
        files.iter().find(|o| o.name == name)
    };
    let l = &release.licence;
    let mut pkg = json!({
        "profile": "tabular-data-package",
        "name": release.campaign,
        "title": release.title,
        "description": release.description.trim(),
        "version": version(release, files),
        "licenses": [{ "name": l.name, "title": l.title, "path": l.path }],
    });
    if let Some(p) = &release.publisher {
        let mut who = json!({ "title": p.name, "role": "publisher" });
        match &p.contact {
            Some(c) if c.contains('@') && !c.contains("://") => who["email"] = json!(c),
            Some(c) => who["path"] = json!(c),
            None => {}
        }
        pkg["contributors"] = json!([who]);
        if let Some(d) = &p.published {
            pkg["created"] = json!(format!("{}T00:00:00Z", d.0.format("%Y-%m-%d")));
        }
    }
    pkg["sources"] = release
        .sources
        .iter()
        .map(|s| {
            let mut j = json!({
                "title": format!("{}: {}", s.whose(), s.file),
                "file": s.file,
                "hash": format!("sha256:{}", s.sha256),
                "forces": s.forces.iter().map(|f| f.0.as_str()).collect::<Vec<_>>(),
            });
            if s.is_url() {
                j["path"] = json!(s.file);
            }
            j
        })
        .collect();
    pkg["resources"] = release
        .tables
        .iter()
        .map(|t| resource(t, file(t)))
        .collect();
    pkg
}

pub fn datapackage_bytes(release: &Release, files: &[Output]) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(&datapackage(release, files)).unwrap_or_default();
    out.push(b'\n');
    out
}
