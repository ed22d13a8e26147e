//! What integration tests share: outside servers they run against.

pub mod radicale;
