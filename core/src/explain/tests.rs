/// A slot is written once and read once per computation: its rounding step (72 bytes,
/// on a minority of nodes) is kept beside it, so that a slot stays 64 bytes (160 with the
/// step inline).
#[test]
#[cfg(target_pointer_width = "64")]
fn a_slot_is_64_bytes() {
    assert_eq!(std::mem::size_of::<super::Slot>(), 64);
}

const D: super::Desc = super::Desc {
    key: "test.{a}",
    label: "test",
    unit: super::Unit::Kr,
    rule: "test",
    source: None,
    path: "test",
};

/// Three values: 64-bit parts, 128-bit parts (boxed), 256-bit parts (boxed).
fn values(n: i64, d: i64) -> Vec<crate::exact::Exact> {
    use crate::exact::Exact;
    let small = Exact::new(n.into(), d.into());
    let mid = Exact::new(i128::from(n) << 64 | 1, d.into());
    let wide = mid
        .clone()
        .and_then(|m| m.checked_mul(&Exact::new(i128::MAX / 3, 7)?));
    [small, mid, wide].into_iter().flatten().collect()
}

proptest::proptest! {
    /// `derive_pair` (two figures read where they are) and `round` (its figure moved into
    /// the step) keep the same nodes, values, inputs and rounding steps as `derive` and
    /// `derive_rounded` given copies, and fail where they fail, kept or not.
    #[test]
    fn the_paths_without_copies_keep_the_same_nodes(
        a in proptest::prelude::any::<i64>(), b in 1i64..=i64::MAX,
        c in proptest::prelude::any::<i64>(), d in 1i64..=i64::MAX,
        op in 0usize..4, scale in 0u32..=3, mode in 0usize..5, keep in proptest::prelude::any::<bool>(),
    ) {
        use super::{Explanation, Fig, Op, Step, Subj};
        use crate::rounding::{RoundMode, Rounding};
        let op = [Op::Sum, Op::Difference, Op::Product, Op::Quotient][op];
        let policy = Rounding {
            increment: rust_decimal::Decimal::new(1, scale),
            mode: RoundMode::ALL[mode],
        };
        for x in values(a, b) {
            for y in values(c, d) {
                let (mut one, mut two) = (Explanation::new(keep), Explanation::new(keep));
                let inputs = |ex: &mut Explanation| {
                    let f = ex.input(&D, Subj::one(0), x.clone());
                    let g = ex.input(&D, Subj::one(1), y.clone());
                    (f.ok(), g.ok())
                };
                let ((Some(f1), Some(g1)), (Some(f2), Some(g2))) = (inputs(&mut one), inputs(&mut two)) else {
                    continue;
                };
                let copied = one.derive(&D, Subj::one(2), op, &[f1.clone(), g1.clone()]);
                let by_ref = two.derive_pair(&D, Subj::one(2), op, &f2, &g2);
                proptest::prop_assert_eq!(copied.as_ref().ok(), by_ref.as_ref().ok());
                proptest::prop_assert_eq!(copied.is_err(), by_ref.is_err());
                let rounded = |ex: &mut Explanation, f: Fig, moved: bool| {
                    if moved {
                        ex.round(&D, Subj::one(3), f, policy, Step::Derived)
                    } else {
                        ex.derive_rounded(&D, Subj::one(3), Op::Round, &[f], policy, Step::Derived)
                    }
                };
                let r1 = rounded(&mut one, f1, false);
                let r2 = rounded(&mut two, f2, true);
                proptest::prop_assert_eq!(r1.as_ref().ok(), r2.as_ref().ok());
                proptest::prop_assert_eq!(r1.is_err(), r2.is_err());
                proptest::prop_assert!(one == two);
                proptest::prop_assert_eq!(one.len(), two.len());
                for (n1, n2) in one.nodes().zip(two.nodes()) {
                    proptest::prop_assert_eq!(n1.rounding(), n2.rounding());
                    proptest::prop_assert_eq!(n1.inputs(), n2.inputs());
                }
            }
        }
    }
}

/// Every rounded node finds its own step, in a graph with rounded and unrounded nodes (an
/// offer's graph, kept only with the `explain` feature).
#[cfg(feature = "explain")]
#[test]
fn each_rounded_node_has_its_step() {
    let computed = crate::Offer::sample()
        .compute()
        .unwrap_or_else(|e| panic!("{e}"));
    let ex = &computed.explanation;
    let rounded: Vec<_> = ex.nodes().filter(|n| n.rounding().is_some()).collect();
    assert!(!rounded.is_empty() && rounded.len() < ex.len());
    for n in rounded {
        let step = n.rounding().unwrap_or_else(|| unreachable!());
        assert_eq!(
            n.value(),
            crate::exact::Exact::from(step.after),
            "{}",
            n.key()
        );
    }
    assert!(ex.verify().is_ok());
}
