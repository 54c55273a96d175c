//! The timeline, apart from the DOM: which years are visible ([`scale`]), where everything is
//! drawn in a frame ([`layout`], with clustering and label fitting), what is under a pointer
//! ([`hit`]) and the keyboard's order of events ([`keys`]). Pure code, tested natively; the
//! component (`app::timeline`) wires it to events and signals, `render::timeline` draws it.

pub mod hit;
pub mod keys;
pub mod layout;
pub mod scale;

pub use hit::*;
pub use keys::*;
pub use layout::*;
pub use scale::*;

#[cfg(test)]
pub(crate) mod tests;
