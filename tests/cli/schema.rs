//! `schema/article.schema.json` and the serialised types describe the same fields.

use serde_json::Value;

fn schema() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/schema/article.schema.json"
    ))
    .expect("schema file");
    serde_json::from_str(&text).expect("schema is JSON")
}

/// Every key of `object` is a property of `def`, and every required property is a key.
fn assert_matches(def_name: &str, object: &Value) {
    let schema = schema();
    let def = &schema["$defs"][def_name];
    let properties = def["properties"].as_object().expect("properties");
    let object = object.as_object().expect("object");
    for key in object.keys() {
        assert!(
            properties.contains_key(key),
            "{def_name}: `{key}` missing from the schema"
        );
    }
    for required in def["required"].as_array().expect("required") {
        let key = required.as_str().unwrap();
        assert!(
            object.contains_key(key),
            "{def_name}: required `{key}` not serialised"
        );
    }
}

#[test]
fn article_fields_match_the_schema() {
    let cleaner = zhclean::Cleaner::new(zhclean::Options::default().pos(true)).unwrap();
    let page = std::fs::read(crate::fixture("seed/000_f764d41b789eb620.txt")).unwrap();
    let article = cleaner
        .clean(&page, &zhclean::InputMeta::default())
        .unwrap();
    let value = serde_json::to_value(&article).unwrap();
    assert_matches("article", &value);
    assert_matches("input", &value["input"]);
    assert_matches("repairs", &value["repairs"]);
    assert_matches("removed", &value["removed"][0]);
}

#[test]
fn error_record_fields_match_the_schema() {
    let meta = zhclean::InputMeta::default();
    let record = zhclean::ErrorRecord::from_error(&meta, 0, &zhclean::Error::EmptyInput);
    let value = serde_json::to_value(&record).unwrap();
    assert_matches("error_record", &value);
    assert_matches("input", &value["input"]);
}
