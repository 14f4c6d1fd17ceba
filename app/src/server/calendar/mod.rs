//! Calendars as data: reading a feed's event instances (`feed`) and telling
//! which belong to a room (`matching`).

pub mod feed;
pub mod matching;

#[cfg(test)]
mod fuzz_tests;
