//! Text output (Danish): the tariff sheet and course quotes. Explanation trees are rendered by
//! [`Explanation::render`](crate::Explanation::render).

mod finance;
mod quote;
mod sheet;
