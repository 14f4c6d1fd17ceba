//! A search snippet as the page shows it: the server marks each match with
//! `<mark>…</mark>` in otherwise escaped text; the page builds text nodes
//! and `<mark>` elements from it, never HTML, so a transcript's words can
//! never become markup.

use leptos::either::Either;
use leptos::prelude::*;

/// The snippet's pieces: (text, whether it is a match).
pub fn marked_pieces(snippet: &str) -> Vec<(String, bool)> {
    let mut pieces = Vec::new();
    let mut rest = snippet;
    while let Some(open) = rest.find("<mark>") {
        if open > 0 {
            pieces.push((unescape(&rest[..open]), false));
        }
        rest = &rest[open + "<mark>".len()..];
        let close = rest.find("</mark>").unwrap_or(rest.len());
        pieces.push((unescape(&rest[..close]), true));
        rest = rest.get(close + "</mark>".len()..).unwrap_or("");
    }
    if !rest.is_empty() {
        pieces.push((unescape(rest), false));
    }
    pieces
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

pub fn snippet_view(snippet: &str) -> impl IntoView {
    marked_pieces(snippet)
        .into_iter()
        .map(|(text, matched)| {
            if matched {
                Either::Left(view! { <mark>{text}</mark> })
            } else {
                Either::Right(text)
            }
        })
        .collect_view()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_become_pieces_and_escaped_text_stays_text() {
        assert_eq!(
            marked_pieces("…the <mark>budget</mark> &lt;script&gt; &amp; <mark>plan</mark>"),
            vec![
                ("…the ".to_owned(), false),
                ("budget".to_owned(), true),
                (" <script> & ".to_owned(), false),
                ("plan".to_owned(), true),
            ]
        );
        assert_eq!(marked_pieces("no match"), vec![("no match".to_owned(), false)]);
        assert_eq!(marked_pieces("<mark>open"), vec![("open".to_owned(), true)]);
    }
}
