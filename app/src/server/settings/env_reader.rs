use std::str::FromStr;

use crate::server::secret::Secret;

/// Reads typed values from a variable lookup, collecting every problem (each
/// naming its variable) instead of stopping at the first.
pub struct EnvReader<'a> {
    lookup: &'a dyn Fn(&str) -> Option<String>,
    problems: Vec<String>,
}

impl<'a> EnvReader<'a> {
    pub fn new(lookup: &'a dyn Fn(&str) -> Option<String>) -> Self {
        EnvReader {
            lookup,
            problems: Vec::new(),
        }
    }

    /// The variable's value; unset and blank count as absent.
    pub fn optional(&self, name: &str) -> Option<String> {
        (self.lookup)(name)
            .map(|value| value.trim().to_owned())
            .filter(|value| !value.is_empty())
    }

    pub fn string(&self, name: &str, default: &str) -> String {
        self.optional(name).unwrap_or_else(|| default.to_owned())
    }

    pub fn secret(&self, name: &str) -> Option<Secret> {
        self.optional(name).map(Secret::new)
    }

    pub fn parsed<T>(&mut self, name: &str, default: T) -> T
    where
        T: FromStr,
        T::Err: std::fmt::Display,
    {
        match self.optional(name) {
            None => default,
            Some(text) => match text.parse() {
                Ok(value) => value,
                Err(error) => {
                    self.problems.push(format!("{name}: {error}"));
                    default
                }
            },
        }
    }

    pub fn flag(&mut self, name: &str, default: bool) -> bool {
        match self.optional(name).map(|text| text.to_ascii_lowercase()) {
            None => default,
            Some(text) => match text.as_str() {
                "1" | "true" | "yes" | "on" => true,
                "0" | "false" | "no" | "off" => false,
                _ => {
                    self.problems
                        .push(format!("{name}: expected true or false, got '{text}'"));
                    default
                }
            },
        }
    }

    /// A list written as JSON (`["a","b"]`) or comma-separated (`a,b`).
    pub fn list(&mut self, name: &str) -> Vec<String> {
        let Some(text) = self.optional(name) else {
            return Vec::new();
        };
        if text.starts_with('[') {
            match serde_json::from_str::<Vec<String>>(&text) {
                Ok(items) => items.into_iter().filter(|item| !item.trim().is_empty()).collect(),
                Err(error) => {
                    self.problems
                        .push(format!("{name}: not a JSON list of strings ({error})"));
                    Vec::new()
                }
            }
        } else {
            text.split(',')
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .map(str::to_owned)
                .collect()
        }
    }

    pub fn problem(&mut self, message: String) {
        self.problems.push(message);
    }

    pub fn finish(self) -> Vec<String> {
        self.problems
    }
}
