//! The explanation graph: every computed figure is a [`Node`].
//!
//! A node records its value, unit, the operation that produced it, the nodes it was computed
//! from, a rule in words, its source (law, agreement, convention, or the request field it was
//! read from) and, if it was rounded, the policy with the value before and after. Nodes live
//! in an [`Explanation`] arena and refer to each other by [`NodeId`]; inputs always come
//! before the nodes computed from them, so the graph has no cycles. Recomputing a node from
//! its recorded inputs ([`Explanation::recompute`]) gives the recorded value exactly, which
//! [`Explanation::verify`] checks for the whole graph.

use std::collections::HashMap;

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Serialize;

use crate::error::{Error, ErrorCode};
use crate::rounding::Rounding;

/// Index of a node in its [`Explanation`]. Serialised as a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(transparent)]
pub struct NodeId(pub u32);

/// The unit of a figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Unit {
    /// Kroner (an annual amount unless the label says otherwise).
    Kr,
    /// Kroner per (occupied) day or døgn.
    KrPerDay,
    /// Kroner per month.
    KrPerMonth,
    /// Kroner per place per year.
    KrPerYear,
    /// Kroner per hour.
    KrPerHour,
    /// Kroner per kilometre.
    KrPerKm,
    /// Kroner per occupied day per weekly support hour (the support rate).
    KrPerDayPerWeeklyHour,
    /// Days.
    Days,
    /// Places.
    Places,
    /// Citizens.
    Citizens,
    /// Per cent (97 means 97 %).
    Percent,
    /// A plain ratio (0.97).
    Ratio,
    /// Support hours per week.
    HoursPerWeek,
    /// Occupied day × weekly support hour.
    DayHours,
    /// A count or other pure number.
    Number,
}

impl Unit {
    /// Danish unit suffix for text output.
    pub fn suffix_da(self) -> &'static str {
        match self {
            Unit::Kr => "kr.",
            Unit::KrPerDay => "kr. pr. dag",
            Unit::KrPerMonth => "kr. pr. måned",
            Unit::KrPerYear => "kr. pr. år",
            Unit::KrPerHour => "kr. pr. time",
            Unit::KrPerKm => "kr. pr. km",
            Unit::KrPerDayPerWeeklyHour => "kr. pr. dag pr. ugentlig time",
            Unit::Days => "dage",
            Unit::Places => "pladser",
            Unit::Citizens => "borgere",
            Unit::Percent => "%",
            Unit::Ratio => "",
            Unit::HoursPerWeek => "timer pr. uge",
            Unit::DayHours => "dag-timer",
            Unit::Number => "",
        }
    }
}

/// How a node's value was obtained from its inputs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(tag = "op", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Op {
    /// Read from the request, at `path`.
    Input {
        /// Dotted path of the request field.
        path: String,
    },
    /// A constant of a rule or convention (365 days, 12 months, 10 citizens per place).
    Constant,
    /// Σ inputs.
    Sum,
    /// first input − Σ the others.
    Difference,
    /// Π inputs.
    Product,
    /// first input ÷ second input.
    Quotient,
    /// −input.
    Negate,
    /// Arithmetic mean of the inputs.
    Mean,
    /// first input × second input ÷ 100 (an amount times a percentage).
    PercentOf,
    /// The input, rounded by the node's rounding policy.
    Round,
}

/// A rounding applied at a named step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct RoundingStep {
    /// The step, e.g. "published tariff" or "derived amount".
    pub step: String,
    /// The policy applied.
    pub policy: Rounding,
    /// The value before rounding.
    #[schemars(with = "crate::num::Num")]
    pub before: Decimal,
    /// The value after rounding (equal to the node's value).
    #[schemars(with = "crate::num::Num")]
    pub after: Decimal,
}

/// One figure and how it came about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Node {
    /// Position in the graph.
    pub id: NodeId,
    /// Stable key, unique in the graph, e.g. `service.udredning.day`.
    pub key: String,
    /// Human label (Danish), e.g. "Døgntakst, Udredningsmodul".
    pub label: String,
    /// The value.
    #[schemars(with = "crate::num::Num")]
    pub value: Decimal,
    /// The unit of the value.
    pub unit: Unit,
    /// The operation.
    #[serde(flatten)]
    pub op: Op,
    /// The nodes the operation was applied to, in order.
    pub inputs: Vec<NodeId>,
    /// The rule in words.
    pub rule: String,
    /// Where the rule or value comes from: law, agreement, convention or the request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The rounding, if the value was rounded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rounding: Option<RoundingStep>,
}

/// The arena of [`Node`]s behind one result.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Explanation {
    nodes: Vec<Node>,
    #[serde(skip)]
    by_key: HashMap<String, NodeId>,
}

fn apply(op: &Op, values: &[Decimal]) -> Option<Decimal> {
    let first = values.first().copied();
    match op {
        Op::Input { .. } | Op::Constant => None,
        Op::Sum => values
            .iter()
            .try_fold(Decimal::ZERO, |a, v| a.checked_add(*v)),
        Op::Difference => values
            .iter()
            .skip(1)
            .try_fold(first?, |a, v| a.checked_sub(*v)),
        Op::Product => values
            .iter()
            .try_fold(Decimal::ONE, |a, v| a.checked_mul(*v)),
        Op::Quotient => match values {
            [a, b] => a.checked_div(*b),
            _ => None,
        },
        Op::Negate => match values {
            [a] => Some(-*a),
            _ => None,
        },
        Op::Mean => {
            let sum = values
                .iter()
                .try_fold(Decimal::ZERO, |a, v| a.checked_add(*v))?;
            sum.checked_div(Decimal::from(values.len()))
        }
        Op::PercentOf => match values {
            [a, p] => a.checked_mul(*p)?.checked_div(Decimal::ONE_HUNDRED),
            _ => None,
        },
        Op::Round => match values {
            [a] => Some(*a),
            _ => None,
        },
    }
}

impl Explanation {
    /// An empty graph.
    pub fn new() -> Explanation {
        Explanation::default()
    }

    /// All nodes, inputs before the nodes computed from them.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// The node with this id.
    pub fn get(&self, id: NodeId) -> Option<&Node> {
        self.nodes.get(id.0 as usize)
    }

    /// The node with this key.
    ///
    /// # Example
    ///
    /// ```
    /// let computed = takst::Offer::sample().compute().unwrap();
    /// let day = computed.explanation.find("average.day").unwrap();
    /// assert_eq!(day.value, computed.sheet.average.unwrap().day);
    /// ```
    pub fn find(&self, key: &str) -> Option<&Node> {
        self.by_key.get(key).and_then(|id| self.get(*id))
    }

    fn push(&mut self, mut node: Node) -> Result<NodeId, Error> {
        if self.by_key.contains_key(&node.key) {
            return Err(Error::new(
                ErrorCode::Internal,
                node.key.clone(),
                "two figures were given the same explanation key",
            ));
        }
        let id = NodeId(self.nodes.len() as u32);
        node.id = id;
        self.by_key.insert(node.key.clone(), id);
        self.nodes.push(node);
        Ok(id)
    }

    /// Records a value read from the request at `path`.
    pub fn input(
        &mut self,
        key: impl Into<String>,
        label: impl Into<String>,
        value: Decimal,
        unit: Unit,
        path: impl Into<String>,
    ) -> Result<NodeId, Error> {
        let path = path.into();
        let source = format!("input: {path}");
        self.leaf(
            key.into(),
            label.into(),
            value,
            unit,
            Op::Input { path },
            source,
        )
    }

    /// Records a value read from the request at `path` whose origin the request states
    /// (a budget account, "KKR 2026", …).
    pub fn input_from(
        &mut self,
        key: impl Into<String>,
        label: impl Into<String>,
        value: Decimal,
        unit: Unit,
        path: impl Into<String>,
        source: impl Into<String>,
    ) -> Result<NodeId, Error> {
        let path = path.into();
        let source = format!("{} (input: {path})", source.into());
        self.leaf(
            key.into(),
            label.into(),
            value,
            unit,
            Op::Input { path },
            source,
        )
    }

    /// Records a constant of a rule or convention, with its source.
    pub fn constant(
        &mut self,
        key: impl Into<String>,
        label: impl Into<String>,
        value: Decimal,
        unit: Unit,
        source: impl Into<String>,
    ) -> Result<NodeId, Error> {
        self.leaf(
            key.into(),
            label.into(),
            value,
            unit,
            Op::Constant,
            source.into(),
        )
    }

    fn leaf(
        &mut self,
        key: String,
        label: String,
        value: Decimal,
        unit: Unit,
        op: Op,
        source: String,
    ) -> Result<NodeId, Error> {
        let rule = match op {
            Op::Input { .. } => "angivet i forespørgslen",
            _ => "fast værdi",
        };
        self.push(Node {
            id: NodeId(0),
            key,
            label,
            value,
            unit,
            op,
            inputs: vec![],
            rule: rule.into(),
            source: Some(source),
            rounding: None,
        })
    }

    /// Starts a computed node; finish it with [`Derive::of`].
    pub fn derive(
        &mut self,
        key: impl Into<String>,
        label: impl Into<String>,
        unit: Unit,
    ) -> Derive<'_> {
        Derive {
            ex: self,
            key: key.into(),
            label: label.into(),
            unit,
            rule: String::new(),
            source: None,
            rounding: None,
        }
    }

    /// The value of a node; `None` for an id that is not in this graph.
    pub fn value(&self, id: NodeId) -> Option<Decimal> {
        self.get(id).map(|n| n.value)
    }

    /// Recomputes a node from the recorded values of its inputs (and its rounding).
    /// Inputs and constants return their recorded value.
    pub fn recompute(&self, id: NodeId) -> Option<Decimal> {
        let node = self.get(id)?;
        if matches!(node.op, Op::Input { .. } | Op::Constant) {
            return Some(node.value);
        }
        let values: Option<Vec<Decimal>> = node
            .inputs
            .iter()
            .map(|i| self.get(*i).map(|n| n.value))
            .collect();
        let raw = apply(&node.op, &values?)?;
        match &node.rounding {
            Some(step) => step.policy.apply(raw),
            None => Some(raw.normalize()),
        }
    }

    /// Checks that every node recomputes to its recorded value and refers only to earlier
    /// nodes. Returns the first node that does not.
    ///
    /// # Example
    ///
    /// ```
    /// use takst::{Explanation, Op, Rounding, Unit};
    ///
    /// let d = |s: &str| s.parse::<takst::Decimal>().unwrap();
    /// let mut ex = Explanation::new();
    /// let base = ex.input("cost_base", "Omkostningsgrundlag", d("9500000"), Unit::Kr, "offer.costs").unwrap();
    /// let days = ex.input("days", "Forventede dage", d("3467.5"), Unit::Days, "offer").unwrap();
    /// let day = ex
    ///     .derive("day", "Døgntakst", Unit::KrPerDay)
    ///     .rule("omkostningsgrundlag ÷ dage")
    ///     .rounded(Rounding::KRONER, "offentliggjort takst")
    ///     .of(Op::Quotient, &[base, days])
    ///     .unwrap();
    /// assert_eq!(ex.value(day), Some(d("2740")));
    /// assert_eq!(ex.recompute(day), Some(d("2740")));
    /// assert!(ex.verify().is_ok());
    /// ```
    pub fn verify(&self) -> Result<(), NodeId> {
        for node in &self.nodes {
            if node.inputs.iter().any(|i| *i >= node.id) {
                return Err(node.id);
            }
            if self.recompute(node.id) != Some(node.value) {
                return Err(node.id);
            }
        }
        Ok(())
    }
}

/// A computed node under construction (see [`Explanation::derive`]).
#[must_use = "a node is only recorded by `of`"]
pub struct Derive<'a> {
    ex: &'a mut Explanation,
    key: String,
    label: String,
    unit: Unit,
    rule: String,
    source: Option<String>,
    rounding: Option<(Rounding, String)>,
}

impl Derive<'_> {
    /// The rule in words, e.g. "omkostningsgrundlag ÷ forventede belægningsdage".
    pub fn rule(mut self, rule: impl Into<String>) -> Self {
        self.rule = rule.into();
        self
    }
    /// The source of the rule, e.g. "SEL § 174".
    pub fn source(mut self, source: impl Into<String>) -> Self {
        self.source = Some(source.into());
        self
    }
    /// Rounds the result with `policy` at the named step.
    pub fn rounded(mut self, policy: Rounding, step: impl Into<String>) -> Self {
        self.rounding = Some((policy, step.into()));
        self
    }
    /// Applies `op` to `inputs` and records the node. Fails with `division_by_zero` or
    /// `overflow`, naming the node's key as the path.
    pub fn of(self, op: Op, inputs: &[NodeId]) -> Result<NodeId, Error> {
        let values: Option<Vec<Decimal>> = inputs.iter().map(|i| self.ex.value(*i)).collect();
        let values = values.ok_or_else(|| {
            Error::new(
                ErrorCode::Internal,
                self.key.clone(),
                "an input is not in this explanation",
            )
        })?;
        let raw = apply(&op, &values).ok_or_else(|| {
            let zero_divisor = match op {
                Op::Quotient => values.get(1).is_some_and(|v| v.is_zero()),
                Op::Mean => values.is_empty(),
                _ => false,
            };
            if zero_divisor {
                Error::new(
                    ErrorCode::DivisionByZero,
                    self.key.clone(),
                    format!("{} cannot be computed: it would divide by zero", self.label),
                )
            } else {
                Error::new(
                    ErrorCode::Overflow,
                    self.key.clone(),
                    format!("{} is too large to compute", self.label),
                )
            }
        })?;
        let (value, rounding) = match self.rounding {
            Some((policy, step)) => {
                let after = policy.apply(raw).ok_or_else(|| {
                    Error::new(
                        ErrorCode::Overflow,
                        self.key.clone(),
                        format!("{} is too large to round", self.label),
                    )
                })?;
                (
                    after,
                    Some(RoundingStep {
                        step,
                        policy,
                        before: raw,
                        after,
                    }),
                )
            }
            // Unrounded figures carry no meaningful scale: 5738550.0 is shown as 5738550.
            None => (raw.normalize(), None),
        };
        self.ex.push(Node {
            id: NodeId(0),
            key: self.key,
            label: self.label,
            value,
            unit: self.unit,
            op,
            inputs: inputs.to_vec(),
            rule: self.rule,
            source: self.source,
            rounding,
        })
    }
}
