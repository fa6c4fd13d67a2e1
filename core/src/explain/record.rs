//! Recording a figure: what the rules call. The arena does the arithmetic
//! ([`Explanation::derive`]) and keeps the node only when the graph is kept, so that a
//! figure has one code path whether it is explained or not; a rounded figure is rounded
//! here, once, and keeps its step beside its slot.

use std::borrow::Cow;

use rust_decimal::Decimal;

use super::arith::{apply, fail, Fail};
use super::{
    Desc, Explanation, Fig, LineName, Names, NodeId, Op, Origin, RoundingStep, SheetBase, Slot,
    Step, Subj, NOT_ROUNDED,
};
use crate::error::{Error, ErrorCode};
use crate::exact::Exact;
use crate::rounding::Rounding;

impl Explanation {
    /// Names a derived tariff of sheet `sheet`: `name` makes its key and label from the
    /// prefix of the sheet's keys and its day word ("døgn" or "dag"), only when the graph is
    /// kept. Returns its index for the `{tk}`/`{tl}`/`{tw}` blanks.
    pub(crate) fn tariff_name(
        &mut self,
        sheet: u32,
        name: impl FnOnce(&str, &str) -> (String, String),
    ) -> usize {
        let i = self.next_tariff as usize;
        self.next_tariff += 1;
        if self.keeps() {
            let (prefix, word) = self
                .names
                .sheets
                .get(sheet as usize)
                .map_or(("", self.names.day_word), |s| {
                    (self.names.get(s.key_prefix), s.day_word)
                });
            let (key, label) = name(prefix, word);
            self.names.tariffs.push((key, label, sheet));
        }
        i
    }

    /// Names a party (a municipality, partner, funding source, case or product); returns
    /// its index for the `{m}` blank.
    pub(crate) fn party(&mut self, name: impl FnOnce() -> String) -> usize {
        let i = self.next_party as usize;
        self.next_party += 1;
        if self.keeps() {
            self.names.parties.push(name());
        }
        i
    }

    /// Names an invoice line; returns its index for the `{l}` blank.
    pub(crate) fn line_name(&mut self, line: impl FnOnce() -> LineName) -> usize {
        let i = self.next_line as usize;
        self.next_line += 1;
        if self.keeps() {
            self.names.lines.push(line());
        }
        i
    }

    /// Starts a tariff sheet with this many services, add-ons and part-time rows: returns
    /// where its entries start in the name tables. `names` fills them when the graph is kept.
    pub(crate) fn begin_sheet(
        &mut self,
        services: usize,
        add_ons: usize,
        part_time: usize,
        names: impl FnOnce(&mut Names, SheetBase),
    ) -> SheetBase {
        let base = self.next;
        self.next = SheetBase {
            sheet: base.sheet + 1,
            services: base.services + services as u32,
            add_ons: base.add_ons + add_ons as u32,
            part_time: base.part_time + part_time as u32,
        };
        if self.keeps() {
            names(&mut self.names, base);
        }
        base
    }

    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn push(&mut self, slot: Slot, args: &[Fig]) -> Result<NodeId, Error> {
        self.push_ids(slot, args.iter().map(|f| f.id))
    }

    /// Keeps a node whose inputs are the figures of ids `ids`, in order (when the graph is
    /// kept).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn push_ids(
        &mut self,
        slot: Slot,
        ids: impl ExactSizeIterator<Item = NodeId>,
    ) -> Result<NodeId, Error> {
        if !self.keeps() {
            return Ok(NodeId::UNKEPT);
        }
        if self.slots.len() >= self.max_nodes {
            return Err(too_many_nodes(self.max_nodes));
        }
        let id = NodeId(self.slots.len() as u32);
        let args_from = self.args.len() as u32;
        let args_len = ids.len() as u32;
        self.args.extend(ids);
        self.slots.push(Slot {
            args_from,
            args_len,
            ..slot
        });
        Ok(id)
    }

    /// Records a value read from the request at the desc's path.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(crate) fn input(&mut self, d: &'static Desc, s: Subj, value: Exact) -> Result<Fig, Error> {
        self.input_from(d, s, value, Origin::None)
    }

    /// Records a value read from the request whose origin the request states.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(crate) fn input_from(
        &mut self,
        d: &'static Desc,
        s: Subj,
        value: Exact,
        origin: Origin,
    ) -> Result<Fig, Error> {
        self.leaf(d, s, value, Op::Input, origin)
    }

    /// Records a constant of a rule or convention.
    ///
    /// A constant's key has no blanks (`const.hundred`), so the same key is the same figure:
    /// when the graph is kept, a constant of a key and value kept before is that node (the
    /// rules of several sections, or of every year of a loop, use one "100"). The first
    /// section's description stands for it.
    pub(crate) fn constant(&mut self, d: &'static Desc, value: Exact) -> Result<Fig, Error> {
        if self.keeps() {
            if let Some((_, f)) = self
                .constants
                .iter()
                .flat_map(|c| c.iter())
                .find(|(key, f)| *key == d.key && f.v == value)
            {
                return Ok(f.clone());
            }
            let f = self.leaf(d, Subj::NONE, value, Op::Constant, Origin::None)?;
            self.constants
                .get_or_insert_with(Default::default)
                .push((d.key, f.clone()));
            return Ok(f);
        }
        self.leaf(d, Subj::NONE, value, Op::Constant, Origin::None)
    }

    /// Records a constant about a subject (a calendar count, a package number).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(crate) fn constant_at(
        &mut self,
        d: &'static Desc,
        s: Subj,
        value: Exact,
    ) -> Result<Fig, Error> {
        self.leaf(d, s, value, Op::Constant, Origin::None)
    }

    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn leaf(
        &mut self,
        d: &'static Desc,
        s: Subj,
        value: Exact,
        op: Op,
        origin: Origin,
    ) -> Result<Fig, Error> {
        self.keep_node(d, s, op, value, &[], origin)
    }

    /// Applies `op` to the inputs and records the node. Fails with `division_by_zero` or
    /// `overflow` at the desc's path.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(crate) fn derive(
        &mut self,
        d: &'static Desc,
        s: Subj,
        op: Op,
        args: &[Fig],
    ) -> Result<Fig, Error> {
        self.derive_each(d, s, op, args.len(), |i| &args[i])
    }

    /// [`Self::derive`] of `n` figures the caller keeps where they are, the `i`-th being
    /// `arg(i)` (a run of a buffer of figures by their indices, the present entries of a
    /// table): no figure is copied to be an input, and only their ids are kept.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(crate) fn derive_each<'f>(
        &mut self,
        d: &'static Desc,
        s: Subj,
        op: Op,
        n: usize,
        arg: impl Fn(usize) -> &'f Fig,
    ) -> Result<Fig, Error> {
        let value = apply(op, n, |i| &arg(i).v).map_err(|f| fail(d, s, f))?;
        if !self.keeps() {
            return Ok(Fig {
                id: NodeId::UNKEPT,
                v: value,
            });
        }
        let slot = Slot::new(d, s, op, &value, Origin::None);
        let id = self.push_ids(slot, (0..n).map(|i| arg(i).id))?;
        Ok(Fig { id, v: value })
    }

    /// A value as a figure, its node kept when the graph is: the end of [`Self::leaf`].
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn keep_node(
        &mut self,
        d: &'static Desc,
        s: Subj,
        op: Op,
        value: Exact,
        args: &[Fig],
        origin: Origin,
    ) -> Result<Fig, Error> {
        if !self.keeps() {
            return Ok(Fig {
                id: NodeId::UNKEPT,
                v: value,
            });
        }
        let id = self.push(Slot::new(d, s, op, &value, origin), args)?;
        Ok(Fig { id, v: value })
    }

    /// [`Self::derive`] of two figures the caller keeps: they are read where they are, so a
    /// 128-bit value (a rate, a tariff before rounding) is not copied to be an input.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(crate) fn derive_pair(
        &mut self,
        d: &'static Desc,
        s: Subj,
        op: Op,
        a: &Fig,
        b: &Fig,
    ) -> Result<Fig, Error> {
        self.derive_each(d, s, op, 2, |i| if i == 0 { a } else { b })
    }

    /// Applies `op`, then rounds the exact result once with `policy` at the named step.
    /// Returns the figure and its value as a `Decimal`.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(crate) fn derive_rounded(
        &mut self,
        d: &'static Desc,
        s: Subj,
        op: Op,
        args: &[Fig],
        policy: Rounding,
        step: Step,
    ) -> Result<(Fig, Decimal), Error> {
        // A quotient rounded and not kept (a month of a tariff, without the graph) is
        // rounded without being made: the same figure (`Rounding::apply_ratio_both`).
        if let (false, Op::Quotient, [value, divisor]) = (self.keeps(), op, args) {
            if let Some((after, v)) = policy.apply_ratio_both(&value.v, &Exact::ONE, &divisor.v) {
                let id = NodeId::UNKEPT;
                return Ok((Fig { id, v }, after));
            }
        }
        let before = self.before_rounding(d, s, op, args)?;
        self.rounded(d, s, op, args, before, policy, step)
    }

    /// The value `derive_rounded` and `derive_rounded_whole` round. Rounding one figure
    /// rounds its value where it is, and copies it only into a node that is kept (the copy of
    /// a 128-bit quotient allocates): what `apply` computes for `Op::Round`, without the copy.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn before_rounding<'a>(
        &mut self,
        d: &'static Desc,
        s: Subj,
        op: Op,
        args: &'a [Fig],
    ) -> Result<Cow<'a, Exact>, Error> {
        Ok(match (op, args) {
            (Op::Round, [arg]) => Cow::Borrowed(&arg.v),
            _ => Cow::Owned(self.compute(d, s, op, args)?),
        })
    }

    /// `a × b` and `a × b ÷ c`, each rounded once with `policy`, when the graph is not kept
    /// and rounding's machine steps take them (a tariff's year and month from its day
    /// tariff, day basis and twelve): the figures that making the product and its quotient
    /// and rounding each give, without making them (`Rounding::apply_ratio_both`; a 128-bit
    /// product was boxed to be rounded twice and freed). Returns the month's, then the
    /// year's. `None`: the caller makes them, and keeps their nodes when the graph is kept.
    pub(crate) fn round_product_unkept(
        &self,
        a: &Fig,
        b: &Fig,
        c: &Fig,
        policy: Rounding,
    ) -> Option<((Fig, Decimal), (Fig, Decimal))> {
        if self.keeps() {
            return None;
        }
        let ((month, month_v), (year, year_v)) = policy.apply_ratio_pair_both(&a.v, &b.v, &c.v)?;
        let id = NodeId::UNKEPT;
        Some((
            (Fig { id, v: month_v }, month),
            (Fig { id, v: year_v }, year),
        ))
    }

    /// [`Self::derive_rounded`] of an amount that is usually a whole number of the policy's
    /// increments already (a course's line, days × a tariff in kroner or øre, rounded to
    /// øre): the same figure, rounded by [`Rounding::apply_whole_both`], which takes such a
    /// value as it is rather than dividing it.
    #[allow(clippy::too_many_arguments)]
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(crate) fn derive_rounded_whole(
        &mut self,
        d: &'static Desc,
        s: Subj,
        op: Op,
        args: &[Fig],
        policy: Rounding,
        step: Step,
    ) -> Result<(Fig, Decimal), Error> {
        let before = self.before_rounding(d, s, op, args)?;
        let ids = args.iter().map(|f| f.id);
        let round = Rounding::apply_whole_both;
        self.rounded_by(d, s, op, ids, before, policy, step, round)
    }

    /// [`Self::derive_rounded_whole`] of two figures the caller keeps (days and a tariff):
    /// read where they are, not copied into an array of inputs.
    #[allow(clippy::too_many_arguments)]
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(crate) fn derive_rounded_whole_pair(
        &mut self,
        d: &'static Desc,
        s: Subj,
        op: Op,
        a: &Fig,
        b: &Fig,
        policy: Rounding,
        step: Step,
    ) -> Result<(Fig, Decimal), Error> {
        let v = |i: usize| if i == 0 { &a.v } else { &b.v };
        let before = apply(op, 2, v).map_err(|f| fail(d, s, f))?;
        let ids = [a.id, b.id].into_iter();
        let round = Rounding::apply_whole_both;
        self.rounded_by(d, s, op, ids, Cow::Owned(before), policy, step, round)
    }

    /// Rounds one figure: [`Self::derive_rounded`] with [`Op::Round`]. The figure is the
    /// caller's to give: its value moves into the kept node's rounding step, uncopied.
    pub(crate) fn round(
        &mut self,
        d: &'static Desc,
        s: Subj,
        arg: Fig,
        policy: Rounding,
        step: Step,
    ) -> Result<(Fig, Decimal), Error> {
        self.round_value(d, s, arg.id, Cow::Owned(arg.v), policy, step)
    }

    /// [`Self::round`] of a figure the caller keeps: its value is copied only when the graph
    /// is kept (the rounding step holds it).
    pub(crate) fn round_ref(
        &mut self,
        d: &'static Desc,
        s: Subj,
        arg: &Fig,
        policy: Rounding,
        step: Step,
    ) -> Result<(Fig, Decimal), Error> {
        self.round_value(d, s, arg.id, Cow::Borrowed(&arg.v), policy, step)
    }

    /// Rounds `before`, the value of figure `id`, which is the node's one input (only its id
    /// is kept).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn round_value(
        &mut self,
        d: &'static Desc,
        s: Subj,
        id: NodeId,
        before: Cow<'_, Exact>,
        policy: Rounding,
        step: Step,
    ) -> Result<(Fig, Decimal), Error> {
        let input = Fig { id, v: Exact::ZERO };
        self.rounded(
            d,
            s,
            Op::Round,
            std::slice::from_ref(&input),
            before,
            policy,
            step,
        )
    }

    /// Rounds `before`, the value of `op` on `args`, and keeps the node when the graph is
    /// kept, its rounding step beside the slots: the end of [`Self::derive_rounded`] and
    /// [`Self::round`].
    #[allow(clippy::too_many_arguments)] // the node's parts, each one of them
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn rounded(
        &mut self,
        d: &'static Desc,
        s: Subj,
        op: Op,
        args: &[Fig],
        before: Cow<'_, Exact>,
        policy: Rounding,
        step: Step,
    ) -> Result<(Fig, Decimal), Error> {
        let round = Rounding::apply_exact_both;
        let ids = args.iter().map(|f| f.id);
        self.rounded_by(d, s, op, ids, before, policy, step, round)
    }

    /// [`Self::rounded`] by `round`: [`Rounding::apply_exact_both`], or
    /// [`Rounding::apply_whole_both`] for a course's amounts (the same values).
    #[allow(clippy::too_many_arguments)]
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn rounded_by(
        &mut self,
        d: &'static Desc,
        s: Subj,
        op: Op,
        ids: impl ExactSizeIterator<Item = NodeId>,
        before: Cow<'_, Exact>,
        policy: Rounding,
        step: Step,
        round: fn(&Rounding, &Exact) -> Option<(Decimal, Exact)>,
    ) -> Result<(Fig, Decimal), Error> {
        let (after, value) = round(&policy, &before).ok_or_else(|| fail(d, s, Fail::Overflow))?;
        if !self.keeps() {
            return Ok((
                Fig {
                    id: NodeId::UNKEPT,
                    v: value,
                },
                after,
            ));
        }
        let slot = Slot {
            // The step's index: `push` fails only before anything is kept.
            rounding: u32::try_from(self.roundings.len()).unwrap_or(NOT_ROUNDED),
            ..Slot::new(d, s, op, &value, Origin::None)
        };
        let id = self.push_ids(slot, ids)?;
        self.roundings.push(RoundingStep {
            step,
            policy,
            before: before.into_owned(),
            after,
        });
        Ok((Fig { id, v: value }, after))
    }

    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn compute(&self, d: &'static Desc, s: Subj, op: Op, args: &[Fig]) -> Result<Exact, Error> {
        apply(op, args.len(), |i| &args[i].v).map_err(|f| fail(d, s, f))
    }
}

/// The error of a graph that would grow beyond its limit (out of line: `push` is inlined
/// into every rule).
#[cold]
#[inline(never)]
fn too_many_nodes(max: usize) -> Error {
    Error::new(
        ErrorCode::LimitExceeded,
        "options.explain",
        format!(
            "the explanation would have more than {max} figures; ask for \
             options.explain = false or split the request"
        ),
        format!(
            "Forklaringen ville få mere end {} tal; vælg `options.explain = false`, \
             eller del forespørgslen op.",
            crate::danish::int(max)
        ),
    )
}
