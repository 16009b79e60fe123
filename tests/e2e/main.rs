//! Cross-function black-box tests.
fn main() {}
