//! Transcripts: the pipeline that makes them from stored recordings
//! (`pipeline`), and what readers do with them (`views`: read, list,
//! download, delete, search).

pub mod pipeline;
pub mod snippets;
pub mod views;
