//! The JS API suite in Node: `wasm-pack test --node -- --test node`.
#![cfg(target_arch = "wasm32")]

pub mod api;
