//! What integration tests share: outside servers they run against.

pub mod http;
pub mod radicale;
