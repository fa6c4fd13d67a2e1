//! A figure's explanation as an indented text tree (Danish).

use std::collections::HashSet;
use std::fmt::Write;

use super::{Explanation, NodeId, Op};
use crate::danish;

impl Explanation {
    /// The figure with this key and everything it was computed from, as an indented tree.
    /// A figure that was already shown is referred to rather than repeated.
    ///
    /// # Example
    ///
    #[cfg_attr(feature = "provider", doc = "```")]
    #[cfg_attr(not(feature = "provider"), doc = "```ignore")]
    /// let computed = takst::Offer::sample().compute().unwrap();
    /// let text = computed.explanation.render("average.day").unwrap();
    /// assert!(text.starts_with("Gennemsnitstakst, pr. døgn = 3.657 kr. pr. døgn"));
    /// assert!(text.contains("SEL § 174"));
    /// ```
    pub fn render(&self, key: &str) -> Option<String> {
        let node = self.find(key)?;
        let mut out = String::new();
        let mut seen = HashSet::new();
        self.render_node(node.id(), "", "", &mut seen, &mut out);
        Some(out)
    }

    fn render_node(
        &self,
        id: NodeId,
        first: &str,
        rest: &str,
        seen: &mut HashSet<NodeId>,
        out: &mut String,
    ) {
        let Some(n) = self.get(id) else { return };
        let unit = n.unit_da();
        // A rounded figure is shown with its increment's scale ("76.816,00").
        let value = match n.rounding() {
            Some(r) => danish::number(r.after),
            None => danish::figure(&n.value(), n.unit()),
        };
        // (A figure without a unit, such as 12 months in a year, has no space after it.)
        let space = if unit.is_empty() { "" } else { " " };
        let _ = writeln!(out, "{first}{} = {value}{space}{unit}", n.label());
        let inputs = n.inputs();
        if !seen.insert(id) && !inputs.is_empty() {
            let _ = writeln!(out, "{rest}   (se ovenfor)");
            return;
        }
        match (n.op(), n.path()) {
            (Op::Input, Some(path)) => {
                let _ = writeln!(out, "{rest}   angivet: {path}");
            }
            _ => {
                let _ = writeln!(out, "{rest}   regel: {}", n.rule());
            }
        }
        if let Some(r) = n.rounding() {
            let _ = writeln!(
                out,
                "{rest}   afrundet fra {} ({}; {})",
                danish::figure(&r.before, n.unit()),
                r.policy,
                r.step.da()
            );
        }
        if let Some(src) = n.source() {
            let _ = writeln!(out, "{rest}   kilde: {src}");
        }
        let count = inputs.len();
        for (i, input) in inputs.iter().enumerate() {
            let (branch, cont) = if i + 1 == count {
                ("└─ ", "   ")
            } else {
                ("├─ ", "│  ")
            };
            self.render_node(
                *input,
                &format!("{rest}{branch}"),
                &format!("{rest}{cont}"),
                seen,
                out,
            );
        }
    }
}
