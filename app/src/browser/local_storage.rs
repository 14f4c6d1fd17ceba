use wasm_bindgen::prelude::*;

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// A JSON list of strings kept under `key`; empty when missing or not such a list.
pub fn read_string_list(key: &str) -> Vec<String> {
    let Some(text) = storage().and_then(|storage| storage.get_item(key).ok().flatten()) else {
        return Vec::new();
    };
    match js_sys::JSON::parse(&text)
        .ok()
        .and_then(|value| value.dyn_into::<js_sys::Array>().ok())
    {
        Some(list) => list.iter().filter_map(|entry| entry.as_string()).collect(),
        None => Vec::new(),
    }
}

/// Best effort: private modes may refuse to store anything.
pub fn write_string_list(key: &str, list: &[String]) {
    let array: js_sys::Array = list.iter().map(|entry| JsValue::from_str(entry)).collect();
    if let (Some(storage), Ok(text)) = (storage(), js_sys::JSON::stringify(&array)) {
        let _ = storage.set_item(key, &String::from(text));
    }
}
