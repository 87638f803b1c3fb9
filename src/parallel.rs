//! Work spread over the machine's cores, on projects large enough to pay for it.
//!
//! Finding a service's references, classifying and judging a variable, running a rule: each
//! reads the shared input and writes nothing but its own result, so the work splits
//! cleanly. Results come back in input order, so what envward reports is the same whatever
//! the number of threads. A small project never starts a thread: the pool's start-up would
//! cost more than the work it shares.

use rayon::iter::{IntoParallelIterator, IntoParallelRefMutIterator, ParallelIterator};

/// Below this many variables (or lines, or references) the work stays on the calling
/// thread. Classifying and judging cost about 25 µs a variable, so this is where a second
/// thread starts to pay for itself.
const MIN_PARALLEL: usize = 512;

/// Whether going through `items` things, one by one, is worth a second thread. The first
/// time it is, the pool starts with the calling thread as one of its workers.
pub(crate) fn is_large(items: usize) -> bool {
    let large = items >= MIN_PARALLEL;
    if large {
        start_pool();
    }
    large
}

/// Starts rayon's pool with the calling thread as its first worker, once: a 2-core machine
/// then runs two threads, not an idle caller and two workers. Each thread that allocates
/// gets its own malloc arena, and every arena's pages are faulted in afresh.
fn start_pool() {
    static START: std::sync::Once = std::sync::Once::new();
    START.call_once(|| {
        // Fails only when a pool already exists, which is as good.
        let _ = rayon::ThreadPoolBuilder::new()
            .use_current_thread()
            .build_global();
    });
}

/// `items.into_iter().map(f).collect()`, across threads when `large`.
pub(crate) fn map<T: Send, R: Send>(
    large: bool,
    items: Vec<T>,
    f: impl Fn(T) -> R + Sync + Send,
) -> Vec<R> {
    if !large {
        return items.into_iter().map(f).collect();
    }
    items.into_par_iter().map(f).collect()
}

/// `(0..n).map(f).collect()`, across threads when `large`.
pub(crate) fn map_indices<R: Send>(
    large: bool,
    n: usize,
    f: impl Fn(usize) -> R + Sync + Send,
) -> Vec<R> {
    if !large {
        return (0..n).map(f).collect();
    }
    (0..n).into_par_iter().map(f).collect()
}

/// `items.iter_mut().for_each(f)`, across threads when `large`.
pub(crate) fn for_each_mut<T: Send>(
    large: bool,
    items: &mut [T],
    f: impl Fn(&mut T) + Sync + Send,
) {
    if !large {
        return items.iter_mut().for_each(f);
    }
    items.par_iter_mut().for_each(f);
}

/// `(a(), b())`, the two on different threads when `large`.
pub(crate) fn join<A: Send, B: Send>(
    large: bool,
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    if !large {
        return (a(), b());
    }
    rayon::join(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_input_order_on_one_thread_and_on_many() {
        for n in [0, 1, MIN_PARALLEL - 1, MIN_PARALLEL, 10 * MIN_PARALLEL + 7] {
            for large in [false, true] {
                let expected: Vec<usize> = (0..n).map(|i| i * 3 + 1).collect();
                let items: Vec<usize> = (0..n).collect();
                assert_eq!(map(large, items, |i| i * 3 + 1), expected, "map, n = {n}");
                assert_eq!(
                    map_indices(large, n, |i| i * 3 + 1),
                    expected,
                    "map_indices, n = {n}"
                );
                let mut each: Vec<usize> = (0..n).collect();
                for_each_mut(large, &mut each, |i| *i = *i * 3 + 1);
                assert_eq!(each, expected, "for_each_mut, n = {n}");
                assert_eq!(join(large, || n, || n + 1), (n, n + 1), "join, n = {n}");
            }
        }
    }
}
