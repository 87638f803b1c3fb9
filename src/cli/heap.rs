//! Huge pages for the heap when the inputs are large (issue 13).
//!
//! A `check` of a 10,000-variable project touches about 45 MB of heap: 11,000 fresh 4 KiB
//! pages, each a page fault that the kernel answers with a zeroed page. On this kind of
//! machine (a VM, 2.5 µs a fault) that is a fifth of the run. With Transparent Huge Pages in
//! `madvise` mode, the default of most distributions, a region marked `MADV_HUGEPAGE` is
//! backed by 2 MiB pages instead: one fault where there were 512.
//!
//! glibc does the marking itself under `GLIBC_TUNABLES=glibc.malloc.hugetlb=1`, but a program
//! cannot set its own tunables (they are read before `main`), so this does what the tunable
//! does, once, when the first large input file has been read: grow the heap ahead of need by a
//! pad sized from the input, mark that pad, and keep glibc from handing it back or from
//! serving big blocks from separate maps outside it. Small inputs (every real project) change
//! nothing: a 2 MiB page would cost more to zero than the few small pages they touch.
//!
//! Nothing here changes what is allocated or when memory is wiped: `Zeroizing` buffers are
//! wiped on drop as before; the pad is only address space until touched.

/// An input file at least this large makes the heap ask for huge pages (the largest real
/// project in the corpus has 40 KB of env and compose text; the 1,000-variable synthetic one
/// about 90 KB).
pub const LARGE_INPUT: usize = 128 * 1024;

/// Heap bytes a run needs per byte of its largest input file, measured: 45 MB for the
/// 10,000-variable project, whose `.env` is 295 KB.
const HEAP_PER_INPUT_BYTE: usize = 256;

/// Tells the heap that an input file of `len` bytes has been read; from [`LARGE_INPUT`] on,
/// the first call prepares huge pages (later calls do nothing).
pub fn input_read(len: usize) {
    if len >= LARGE_INPUT {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| imp::prepare(pad_for(len)));
    }
}

/// The pad to grow the heap by for an input of `len` bytes: whole 2 MiB pages, at least
/// 32 MiB (below that, huge pages do not pay for themselves) and at most 128 MiB. Beyond that
/// the heap goes on in small pages: at 100,000 variables, marking all of a 470 MB heap raised
/// the system time from 0.3 s to 0.6–1.1 s on this VM (fresh 2 MiB pages, which the host must
/// back, cost more than the faults they save at that size), while the first 128 MiB on huge
/// pages left it at 0.2–0.3 s.
fn pad_for(len: usize) -> usize {
    const HUGE_PAGE: usize = 2 << 20;
    let want = len
        .saturating_mul(HEAP_PER_INPUT_BYTE)
        .clamp(32 << 20, 128 << 20);
    want.div_ceil(HUGE_PAGE) * HUGE_PAGE
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
mod imp {
    use std::ffi::c_int;

    /// Grows glibc's main heap by `pad` bytes now and marks the new region for huge pages.
    pub fn prepare(pad: usize) {
        let Ok(pad_int) = c_int::try_from(pad) else {
            return;
        };
        // SAFETY: mallopt only changes glibc's allocation parameters; sbrk(0) only reads the
        // current program break; malloc/free are paired on a block nothing else sees; madvise
        // with MADV_HUGEPAGE changes no contents and is applied to whole pages of the heap's
        // own mapping, between the break before and after it grew (both inside the mapping).
        unsafe {
            // Big blocks (a 3 MB vector of references) from the marked heap, not from a map
            // of their own; 32 MiB is glibc's largest allowed threshold on 64-bit.
            libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
            // Never give the pad back to the kernel during the run: that would drop the
            // huge pages, and the next growth would get small ones again.
            libc::mallopt(libc::M_TRIM_THRESHOLD, c_int::MAX);
            libc::mallopt(libc::M_TOP_PAD, pad_int);
            let before = libc::sbrk(0) as usize;
            // A block larger than any free tail of the heap makes glibc extend the break by
            // the block plus the pad in one step.
            // (black_box: the optimiser would otherwise drop a block freed unused.)
            let probe = std::hint::black_box(libc::malloc(4 << 20));
            libc::free(probe);
            let after = libc::sbrk(0) as usize;
            let start = before.next_multiple_of(4096);
            if probe.is_null() || after <= start || after - start < pad / 2 {
                // The heap did not grow where expected (another arena, a foreign break):
                // leave it to small pages.
                return;
            }
            // Best effort: without THP support the kernel refuses and nothing changes.
            libc::madvise(
                start as *mut libc::c_void,
                after - start,
                libc::MADV_HUGEPAGE,
            );
        }
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
mod imp {
    /// Other platforms and C libraries keep their allocator's defaults.
    pub fn prepare(_pad: usize) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pad_is_whole_huge_pages_within_bounds() {
        assert_eq!(pad_for(LARGE_INPUT), 32 << 20);
        // The 10,000-variable project's .env: 295 KB asks for 72 MiB (36 huge pages).
        assert_eq!(pad_for(294_625), 72 << 20);
        assert_eq!(pad_for(4 << 20), 128 << 20);
        assert_eq!(pad_for(usize::MAX), 128 << 20);
    }
}
