//! The `cmc.sectransport` 2.0 API as Rust types, and the bounds of every
//! group setting.
//!
//! Both the console (compiled to WebAssembly) and the reference controller
//! use this crate, so that a field name or a bound is written exactly once.
//! It knows nothing of browsers, servers or storage.
//!
//! Reading is lenient where the spec is: every optional field may be absent,
//! unknown properties are accepted (and kept, for groups), and an integer
//! field that holds an integral float such as `30.0` is read as `30`.
//! Numbers the spec types as `number` are kept as [`serde_json::Number`] so
//! that a counter beyond 2^53 keeps its exact value until it is formatted.

pub mod bounds;
pub mod lenient;
pub mod resources;
pub mod state;

pub use bounds::{BoundError, Setting, SettingKind};
pub use resources::*;
pub use state::{StateFile, StatePeerStats};

/// The path prefix of every resource of the API, relative to the host.
pub const API_PREFIX: &str = "/api/cmc.sectransport/2.0";

/// The path of the controller family's sign-in endpoint.
pub const TOKEN_PATH: &str = "/api/common/1.0/oauth/token";
