//! Room for the WASM splitter to move constant data out of the shell.
//!
//! `cargo leptos build --split` gives each lazy chunk the constant data
//! (strings, vtables) only it uses, packing every chunk's share separately.
//! The alignment padding this adds can make the repacked data a few hundred
//! bytes longer than the original, and then the splitter gives up and keeps
//! *all* constant data in the shell: about 30 KB gzip more on every page,
//! appearing or vanishing with unrelated code changes. This block is kept by
//! the linker but used by no code, so the splitter drops it when repacking,
//! and its length is the slack the padding needs. It never reaches a browser.

#[used]
static SPLIT_DATA_SLACK: [u8; 4096] = [0x5a; 4096];
