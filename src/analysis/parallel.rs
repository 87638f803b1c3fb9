//! Per-variable work spread over the machine's cores, for large projects only.
//!
//! Judging one variable reads shared facts and writes nothing shared (the strength memo
//! has its own lock), so the variables split into one contiguous chunk per core and the
//! results come back in order. A small project stays on one thread: starting a thread costs
//! about what judging a hundred variables does, and `check` on a small project is measured
//! against single-threaded tools (issue 13).

/// Below this many items the work runs on the calling thread.
pub const PARALLEL_FROM: usize = 2_000;

/// At most this many threads: the per-variable work is a few hundred milliseconds at the
/// largest inputs measured (100,000 variables), and each chunk must stay large enough to pay
/// for its thread.
const MAX_THREADS: usize = 8;

/// `items.iter().map(f).collect()`, on up to one thread per core when there are at least
/// [`PARALLEL_FROM`] items. The result is in the order of `items`, and `f` sees each item
/// once, whatever the number of threads. A panic in `f` propagates to the caller.
pub fn map<T, R, F>(items: &[T], f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    let threads = threads_for(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let f = &f;
        let rest: Vec<_> = items[chunk..]
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<R>>()))
            .collect();
        // The calling thread takes the first chunk rather than waiting idle.
        let mut out: Vec<R> = items[..chunk].iter().map(f).collect();
        out.reserve(items.len() - chunk);
        for handle in rest {
            match handle.join() {
                Ok(part) => out.extend(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        out
    })
}

/// [`map`] over owned items: each is moved into `f`.
pub fn map_owned<T, R, F>(items: Vec<T>, f: F) -> Vec<R>
where
    T: Send,
    R: Send,
    F: Fn(T) -> R + Sync,
{
    let threads = threads_for(items.len());
    if threads <= 1 {
        return items.into_iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let mut parts: Vec<Vec<T>> = Vec::with_capacity(threads);
    let mut items = items;
    while items.len() > chunk {
        let tail = items.split_off(items.len() - chunk);
        parts.push(tail);
    }
    parts.push(items);
    parts.reverse();
    std::thread::scope(|scope| {
        let f = &f;
        let mut parts = parts.into_iter();
        let first = parts.next().unwrap_or_default();
        let rest: Vec<_> = parts
            .map(|part| scope.spawn(move || part.into_iter().map(f).collect::<Vec<R>>()))
            .collect();
        let mut out: Vec<R> = first.into_iter().map(f).collect();
        for handle in rest {
            match handle.join() {
                Ok(part) => out.extend(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        out
    })
}

/// `(a(), b())`, with `b` on a second thread when `len` (the items the two work through)
/// reaches [`PARALLEL_FROM`] and the machine has a second core.
pub fn join<A, B, RA, RB>(len: usize, a: A, b: B) -> (RA, RB)
where
    A: FnOnce() -> RA,
    B: FnOnce() -> RB + Send,
    RB: Send,
{
    if threads_for(len) <= 1 {
        let ra = a();
        return (ra, b());
    }
    std::thread::scope(|scope| {
        let other = scope.spawn(b);
        let ra = a();
        match other.join() {
            Ok(rb) => (ra, rb),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

/// How many threads `len` items get: one below [`PARALLEL_FROM`], else one per core (as the
/// process may use them), at most [`MAX_THREADS`] and never so many that a chunk falls under
/// half of [`PARALLEL_FROM`].
fn threads_for(len: usize) -> usize {
    if len < PARALLEL_FROM {
        return 1;
    }
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    cores.min(MAX_THREADS).min(len / (PARALLEL_FROM / 2)).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_order_of_the_items_at_every_size() {
        for len in [
            0,
            1,
            7,
            PARALLEL_FROM - 1,
            PARALLEL_FROM,
            3 * PARALLEL_FROM + 5,
        ] {
            let items: Vec<usize> = (0..len).collect();
            let doubled = map(&items, |i| i * 2);
            assert_eq!(doubled, items.iter().map(|i| i * 2).collect::<Vec<_>>());
            let owned = map_owned(items.clone(), |i| i.to_string());
            assert_eq!(
                owned,
                items.iter().map(ToString::to_string).collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn each_item_is_seen_once() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let seen = AtomicUsize::new(0);
        let items: Vec<usize> = (0..5 * PARALLEL_FROM).collect();
        let _ = map(&items, |_| seen.fetch_add(1, Ordering::Relaxed));
        assert_eq!(seen.load(Ordering::Relaxed), items.len());
    }

    #[test]
    fn join_returns_both_results_in_their_places() {
        for len in [1, PARALLEL_FROM] {
            assert_eq!(join(len, || "a", || 2), ("a", 2));
        }
    }

    #[test]
    fn a_small_input_stays_on_the_calling_thread() {
        let me = std::thread::current().id();
        let items: Vec<usize> = (0..PARALLEL_FROM - 1).collect();
        assert!(
            map(&items, |_| std::thread::current().id())
                .iter()
                .all(|t| *t == me)
        );
    }
}
