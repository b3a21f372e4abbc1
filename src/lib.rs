//! # take-a-number-deluxe
//!
//! A take-a-number ticket machine for browser kiosks: customers take numbered tickets from a
//! range, staff serve them in order or by priority, and the machine switches itself off when
//! idle. It runs as a small GenServer-style actor and is exported to JS as `Machine`.
//!
//! ## Layout
//!
//! | file | what it is | needs JS? |
//! |---|---|---|
//! | [`rules`] | the ticket rules: which number is handed out, which is served | no |
//! | [`server`] | the server behaviour (GenServer's callbacks) that actors run | no |
//! | [`actor`] | the mailbox and lifecycle: one message at a time, stop, `no_process` | no |
//! | [`timer`] | the idle deadline, and the one JS timer that watches it | timer only |
//! | [`machine`] | the Take-A-Number server: the rules behind the server behaviour | no |
//! | [`runtime`] | drives an actor from the JS event loop: microtask drains, promises | yes |
//! | [`js`] | the exported `Machine` class: argument checks, error codes | yes |
//! | `replies.js` | the JS half of replies: pending promises in call order, error objects | yes |
//!
//! Everything marked "no" is plain Rust and tested natively with `cargo test`.
#![deny(missing_docs)]
// A panic in wasm aborts the whole module, and with it every machine on the page: library code
// has no panic paths. Tests may unwrap.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::unreachable,
        clippy::todo,
        clippy::unimplemented,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects,
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_possible_wrap
    )
)]

pub mod actor;
pub mod js;
pub mod machine;
pub mod rules;
pub mod runtime;
pub mod server;
pub mod timer;

pub use js::Machine;
