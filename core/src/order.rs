//! One sort for the lists the core puts in order: positions (`usize`) sorted by a
//! comparison given as a `dyn` closure. Rust compiles a sort for each element type and each
//! closure it is called with, some 2–3 KB apiece in the browser's module; sorted this way, the
//! module holds one. The lists are short (a course's lines, the parts of an allocation, an
//! index's years, an e-invoice's lines), and the comparison's indirect call costs nothing
//! beside the work it compares. (An offer's staged tariffs are sorted in place, on the
//! stack, as `Offer::compute` needs them: no allocation on its hot path.)

use std::cmp::Ordering;

/// The positions `0..len` in the order `cmp` gives them: stable (positions that compare
/// equal stay in ascending order).
pub(crate) fn positions(len: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|a, b| cmp(*a, *b));
    order
}

/// `items` in the order of `key`, stable, by [`positions`]: the items are `Copy`.
pub(crate) fn sorted_by_key<T: Copy, K: Ord>(items: &[T], key: impl Fn(&T) -> K) -> Vec<T> {
    positions(
        items.len(),
        &mut |a, b| match (items.get(a), items.get(b)) {
            (Some(x), Some(y)) => key(x).cmp(&key(y)),
            _ => Ordering::Equal,
        },
    )
    .into_iter()
    .filter_map(|i| items.get(i).copied())
    .collect()
}

/// `items` in the order `cmp` gives them, stable, by [`positions`].
pub(crate) fn sorted_by<T>(items: Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) -> Vec<T> {
    let order = positions(
        items.len(),
        &mut |a, b| match (items.get(a), items.get(b)) {
            (Some(x), Some(y)) => cmp(x, y),
            _ => Ordering::Equal,
        },
    );
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    order
        .into_iter()
        .filter_map(|i| slots.get_mut(i).and_then(Option::take))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The same order as the standard library's stable sort.
        #[test]
        fn as_the_standard_stable_sort(items in prop::collection::vec((0u8..8, any::<u16>()), 0..200)) {
            let mut std_sorted = items.clone();
            std_sorted.sort_by_key(|x| x.0);
            prop_assert_eq!(sorted_by_key(&items, |x| x.0), std_sorted.clone());
            prop_assert_eq!(sorted_by(items.clone(), |a, b| a.0.cmp(&b.0)), std_sorted);
            let order = positions(items.len(), &mut |a, b| items[b].0.cmp(&items[a].0));
            let mut expected: Vec<usize> = (0..items.len()).collect();
            expected.sort_by(|&a, &b| items[b].0.cmp(&items[a].0));
            prop_assert_eq!(order, expected);
        }
    }
}
