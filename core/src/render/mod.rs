//! Text output (Danish): the tariff sheet. Explanation trees are rendered by
//! [`Explanation::render`](crate::Explanation::render).

mod sheet;
