//! Scenarios: variants of the request (occupancy 3 points lower, overhead capped at 6 %, a
//! partner added), each evaluated beside the baseline and compared with it figure by figure
//! through the explanation graph's keys (`crate::evaluate::scenarios` runs them).
//!
//! A variant is written as the changes to the baseline request, a JSON merge patch
//! (RFC 7396): an object's fields replace the baseline's, `null` removes a field, and a list
//! replaces the whole list.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::Warning;
use crate::exact::Exact;
use crate::explain::Unit;

use super::request::Response;

/// A variant of the request, compared with it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// The variant's name, e.g. "Belægning 3 point lavere".
    pub name: String,
    /// The changes to the request, as a JSON merge patch (RFC 7396), e.g.
    /// `{"offer": {"occupancy": {"budgeted_pct": 92}}}`. Numbers keep their text.
    pub changes: serde_json::Value,
}

/// A figure that differs between the baseline and a variant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct FigureChange {
    /// The figure's key in the explanation graph.
    pub key: String,
    /// Its Danish label.
    pub label: String,
    /// Its unit.
    pub unit: Unit,
    /// The baseline's value (absent: the variant adds the figure).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<Exact>,
    /// The variant's value (absent: the variant removes the figure).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<Exact>,
    /// after − before, when both exist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<Exact>,
}

/// A variant's result.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct ScenarioResult {
    /// The variant's name.
    pub name: String,
    /// Every figure that changed, was added or was removed, in the variant's order.
    pub changes: Vec<FigureChange>,
    /// The variant's warnings.
    pub warnings: Vec<Warning>,
    /// The variant's full response (without its explanation).
    pub response: Box<Response>,
}
