//! A room's webhook: the events its room records (see `store::room_events`)
//! sent to the owner's URL, signed as Reflector signs them (`sending`), in
//! order and durably by the delivery jobs (`deliver`); the owner's test,
//! log and redelivery (`views`).

pub mod deliver;
pub mod sending;
pub mod views;
