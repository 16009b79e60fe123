//! Local replay servers that answer like the fare providers' APIs, with
//! their documented request checks and answer shapes, so the product and
//! its tests run against them on a developer's machine.

pub mod travelpayouts;
