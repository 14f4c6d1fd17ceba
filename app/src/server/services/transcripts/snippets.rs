//! Passages of a transcript around what a search matched, with each match
//! marked, and how many matches there are: one implementation for both
//! databases (they only rank).

/// Characters shown on each side of a match.
const CONTEXT: usize = 60;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Byte ranges of the words of `content` that match a term (`(word,
/// prefix)`, lower-case).
fn matches(content: &str, terms: &[(String, bool)]) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut start = None;
    for (index, c) in content.char_indices().chain([(content.len(), ' ')]) {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(index),
            (false, Some(from)) => {
                let word = content[from..index].to_lowercase();
                if terms
                    .iter()
                    .any(|(term, prefix)| word == *term || (*prefix && word.starts_with(term.as_str())))
                {
                    found.push((from, index));
                }
                start = None;
            }
            _ => {}
        }
    }
    found
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Up to `max` passages (matches in `<mark>`, the rest HTML-escaped), and
/// the number of matching words.
pub fn snippets(content: &str, terms: &[(String, bool)], max: usize) -> (Vec<String>, i64) {
    let found = matches(content, terms);
    let mut passages = Vec::new();
    let mut covered_until = 0;
    for &(from, _) in &found {
        if passages.len() == max {
            break;
        }
        if from < covered_until {
            continue;
        }
        let start = floor_boundary(content, from.saturating_sub(CONTEXT));
        let end = floor_boundary(content, (from + CONTEXT).min(content.len()));
        let end = found
            .iter()
            .filter(|(f, _)| *f < end)
            .map(|(_, t)| *t)
            .max()
            .unwrap_or(end)
            .max(end);
        let mut passage = String::new();
        if start > 0 {
            passage.push('…');
        }
        let mut at = start;
        for &(f, t) in found.iter().filter(|(f, t)| *f >= start && *t <= end) {
            passage.push_str(&escape(&content[at..f]));
            passage.push_str("<mark>");
            passage.push_str(&escape(&content[f..t]));
            passage.push_str("</mark>");
            at = t;
        }
        passage.push_str(&escape(&content[at..end]));
        if end < content.len() {
            passage.push('…');
        }
        passages.push(passage.replace('\n', " "));
        covered_until = end;
    }
    (passages, found.len() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_are_marked_and_the_rest_escaped() {
        let (passages, count) = snippets(
            "The <quarterly> budget is approved. Budgets matter.",
            &[("budget".into(), false), ("approv".into(), true)],
            3,
        );
        assert_eq!(count, 2);
        assert_eq!(
            passages,
            ["The &lt;quarterly&gt; <mark>budget</mark> is <mark>approved</mark>. Budgets matter."]
        );
    }

    #[test]
    fn long_texts_give_passages_with_ellipses_on_char_boundaries() {
        let text = format!("{}café crème{}", "é".repeat(100), " x".repeat(100));
        let (passages, count) = snippets(&text, &[("crème".into(), false)], 3);
        assert_eq!(count, 1);
        assert!(passages[0].starts_with('…') && passages[0].ends_with('…'));
        assert!(passages[0].contains("<mark>crème</mark>"));
    }
}
