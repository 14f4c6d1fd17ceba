//! Our OpenAPI document against the REST surface Reflector's clients use
//! (`testdata/reflector-api.json`): every method and path, and the field
//! names of request bodies and success answers. What differs is listed; the
//! list must be exactly the deliberate differences the README names, so a
//! new one (or one that goes away) is noticed.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::openapi::{document, operations};

/// Deliberate, and said in the README ("Differences from Reflector's API").
const DELIBERATE: &[&str] = &[
    // No `hash`/`reason`: the feed's ETag is the feed's, and a manual sync
    // is never refused ("skipped") as not due.
    "POST /v1/rooms/{}/ics/sync answer lacks reason",
    // No e-mail in this server; Reflector's version hands every recipient to anyone.
    "missing operation POST /v1/meetings/{}/email-recipient",
    // Always null in Reflector.
    "GET /v1/rooms/{}/meetings/active answer lacks user_id",
    "GET /v1/rooms/{}/meetings/{} answer lacks user_id",
    "POST /v1/rooms/{}/meeting answer lacks user_id",
    "POST /v1/rooms/{}/meetings/{}/join answer lacks user_id",
];

fn normalized(path: &str) -> String {
    path.split('/')
        .map(|segment| if segment.starts_with('{') { "{}" } else { segment })
        .collect::<Vec<_>>()
        .join("/")
}

/// The schema a `$ref` points at (or the schema itself).
fn resolved<'a>(document: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(reference) => {
            &document["components"]["schemas"][reference.trim_start_matches("#/components/schemas/")]
        }
        None => schema,
    }
}

/// The property names a schema allows, following `$ref`, `allOf`, `oneOf`,
/// `anyOf` and (for `items_of`) arrays.
fn fields(document: &Value, schema: &Value, items_of: bool) -> BTreeSet<String> {
    if schema.get("$ref").is_some() {
        return fields(document, resolved(document, schema), items_of);
    }
    if items_of {
        return fields(document, &schema["items"], false);
    }
    let mut names: BTreeSet<String> = schema["properties"]
        .as_object()
        .map(|properties| properties.keys().cloned().collect())
        .unwrap_or_default();
    for combinator in ["allOf", "oneOf", "anyOf"] {
        for part in schema[combinator].as_array().into_iter().flatten() {
            names.extend(fields(document, part, false));
        }
    }
    names
}

#[tokio::test]
async fn our_api_keeps_reflectors_paths_methods_and_fields() {
    let reference: Value = serde_json::from_str(include_str!("testdata/reflector-api.json")).unwrap();
    let document = document().await;
    let ours = operations(&document);
    let mut differences = Vec::new();
    for expected in reference["operations"].as_array().unwrap() {
        let method = expected["method"].as_str().unwrap();
        let path = normalized(expected["path"].as_str().unwrap());
        let Some((_, _, operation)) = ours
            .iter()
            .find(|(our_method, our_path, _)| our_method == method && normalized(our_path) == path)
        else {
            differences.push(format!("missing operation {method} {path}"));
            continue;
        };
        let wanted = |key: &str| -> Option<BTreeSet<String>> {
            let name = expected[key].as_str()?;
            Some(
                reference["schemas"][name]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|field| field.as_str().unwrap().to_owned())
                    .collect(),
            )
        };
        let json = |value: &Value| value["content"]["application/json"]["schema"].clone();
        if let Some(request) = wanted("request") {
            let ours = fields(&document, &json(&operation["requestBody"]), false);
            for field in request.difference(&ours) {
                differences.push(format!("{method} {path} request lacks {field}"));
            }
        }
        let answer = &json(&operation["responses"]["200"]);
        for (key, items_of) in [("answer", false), ("answer_items", true)] {
            if let Some(fields_wanted) = wanted(key) {
                let ours = fields(&document, answer, items_of);
                for field in fields_wanted.difference(&ours) {
                    differences.push(format!("{method} {path} answer lacks {field}"));
                }
            }
        }
        if let Some(items) = wanted("items") {
            let page = resolved(&document, answer);
            let page_items = fields(&document, &page["properties"]["items"], true);
            for field in items.difference(&page_items) {
                differences.push(format!("{method} {path} answer items lack {field}"));
            }
        }
    }
    differences.sort();
    let mut deliberate: Vec<String> = DELIBERATE.iter().map(|line| line.to_string()).collect();
    deliberate.sort();
    println!(
        "differences from Reflector's API:\n  {}",
        differences.join("\n  ")
    );
    assert_eq!(
        differences, deliberate,
        "every difference is deliberate and in the README"
    );
}
