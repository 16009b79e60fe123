//! Helpers for the cross-function tests in `e2e/`.
