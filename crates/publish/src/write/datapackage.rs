//! A Frictionless Data Package (datapackage.json) describing every table of
//! a release: each CSV (field types, primary keys, missing values, the CSV
//! dialect), and lineage, which is published as Parquet only.

use crate::release::Release;
use crate::table::{Kind, Table};
use serde_json::{json, Value as Json};

fn field(name: &str, kind: Kind, key: bool) -> Json {
    let ty = match kind {
        Kind::Text => "string",
        Kind::Int | Kind::Signed => "integer",
        Kind::Number => "number",
        Kind::Bool => "boolean",
    };
    let mut f = json!({ "name": name, "type": ty });
    let mut constraints = serde_json::Map::new();
    if key {
        constraints.insert("required".into(), json!(true));
    }
    if kind == Kind::Int {
        constraints.insert("minimum".into(), json!(0));
    }
    if !constraints.is_empty() {
        f["constraints"] = Json::Object(constraints);
    }
    f
}

fn resource(t: &Table) -> Json {
    let fields: Vec<Json> = t
        .columns
        .iter()
        .map(|(n, k)| field(n, *k, t.key.contains(n)))
        .collect();
    if t.parquet_only() {
        return json!({
            "name": t.name,
            "path": format!("{}.parquet", t.name),
            "profile": "tabular-data-resource",
            "title": t.title,
            "description": t.description,
            "format": "parquet",
            "mediatype": "application/vnd.apache.parquet",
            "schema": {
                "fields": fields,
                "primaryKey": t.key,
            }
        });
    }
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
        "schema": {
            "fields": fields,
            "primaryKey": t.key,
            "missingValues": [""]
        }
    })
}

pub fn datapackage(release: &Release) -> Json {
    let mut pkg = json!({
        "profile": "tabular-data-package",
        "name": release.campaign,
        "title": release.title,
        "description": release.description.trim(),
        "resources": release.tables.iter().map(resource).collect::<Vec<_>>(),
    });
    if let Some(p) = &release.publisher {
        let mut who = json!({ "title": p.name, "role": "publisher" });
        match &p.contact {
            Some(c) if c.contains('@') && !c.contains("://") => who["email"] = json!(c),
            Some(c) => who["path"] = json!(c),
            None => {}
        }
        pkg["contributors"] = json!([who]);
    }
    pkg
}

pub fn datapackage_bytes(release: &Release) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(&datapackage(release)).unwrap_or_default();
    out.push(b'\n');
    out
}
