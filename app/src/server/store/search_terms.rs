//! What someone typed into the search box, read once into terms, then
//! written in each database's full-text syntax (SQLite FTS5 `MATCH`,
//! PostgreSQL `to_tsquery`). Terms keep only letters and digits (any
//! script), so neither syntax can be injected into.

/// One thing every result must contain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// A word; `prefix` when typed with a trailing `*`.
    Word { text: String, prefix: bool },
    /// Words in this order, side by side (typed in double quotes).
    Phrase(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchTerms(pub Vec<Term>);

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect()
}

impl SearchTerms {
    pub fn parse(query: &str) -> Self {
        let mut terms = Vec::new();
        for (index, part) in query.split('"').enumerate() {
            if index % 2 == 1 {
                let phrase = words(part);
                match phrase.len() {
                    0 => {}
                    1 => terms.push(Term::Word {
                        text: phrase[0].clone(),
                        prefix: false,
                    }),
                    _ => terms.push(Term::Phrase(phrase)),
                }
                continue;
            }
            for token in part.split_whitespace() {
                let prefix = token.ends_with('*');
                let found = words(token);
                let count = found.len();
                for (position, text) in found.into_iter().enumerate() {
                    terms.push(Term::Word {
                        text,
                        prefix: prefix && position + 1 == count,
                    });
                }
            }
        }
        SearchTerms(terms)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every word, for highlighting (`prefix` words match their beginnings).
    pub fn words(&self) -> Vec<(String, bool)> {
        self.0
            .iter()
            .flat_map(|term| match term {
                Term::Word { text, prefix } => vec![(text.clone(), *prefix)],
                Term::Phrase(words) => words.iter().map(|w| (w.clone(), false)).collect(),
            })
            .collect()
    }

    /// FTS5: `"budget" "appro"* "ship friday"` (all must match).
    pub fn fts5(&self) -> String {
        self.0
            .iter()
            .map(|term| match term {
                Term::Word { text, prefix: true } => format!("\"{text}\"*"),
                Term::Word { text, prefix: false } => format!("\"{text}\""),
                Term::Phrase(words) => format!("\"{}\"", words.join(" ")),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// tsquery: `budget & appro:* & (ship <-> friday)`.
    pub fn tsquery(&self) -> String {
        self.0
            .iter()
            .map(|term| match term {
                Term::Word { text, prefix: true } => format!("{text}:*"),
                Term::Word { text, prefix: false } => text.clone(),
                Term::Phrase(words) => format!("({})", words.join(" <-> ")),
            })
            .collect::<Vec<_>>()
            .join(" & ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_phrases_and_prefixes_are_read_once_for_both_databases() {
        let terms = SearchTerms::parse(r#"Budget appro* "ship on  Friday" x'); DROP"#);
        assert_eq!(terms.fts5(), r#""budget" "appro"* "ship on friday" "x" "drop""#);
        assert_eq!(
            terms.tsquery(),
            "budget & appro:* & (ship <-> on <-> friday) & x & drop"
        );
    }

    #[test]
    fn non_ascii_words_are_kept_and_punctuation_is_not() {
        let terms = SearchTerms::parse("Café crème-brûlée «ça» ***");
        assert_eq!(terms.fts5(), r#""café" "crème" "brûlée" "ça""#);
        assert!(SearchTerms::parse(" ' \" * & | ! ").is_empty());
    }
}
