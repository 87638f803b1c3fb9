//! Where each pane goes at a given terminal size, shared by `view` (to draw) and `update`
//! (to page, scroll and find what a mouse click hit), so the two always agree.
//!
//! Header (2 rows), the problems banner (file-level findings, up to [`BANNER_MAX`] rows),
//! then the body, then the status line and the footer. The body puts the list and the
//! detail pane side by side on wide terminals and one above the other on narrow ones.

use ratatui::layout::Rect;

use super::model::Model;
use crate::analysis::Finding;

/// The most banner rows; more findings are counted on the last row.
pub const BANNER_MAX: u16 = 3;

/// From this many columns on, the list and the detail pane sit side by side.
pub const WIDE: u16 = 140;

/// The panes of the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    /// Project line and counts.
    pub header: Rect,
    /// File-level findings.
    pub banner: Rect,
    /// The variable list (its title row included).
    pub list: Rect,
    /// The selected variable (its title row included).
    pub detail: Rect,
    /// Messages.
    pub status: Rect,
    /// Keys.
    pub footer: Rect,
    /// Side by side.
    pub wide: bool,
}

/// Findings about a file as a whole, or about a compose variable that is not in the env
/// file's inventory (a literal secret in `environment:`): the ones no list row shows.
pub fn file_findings(model: &Model) -> impl Iterator<Item = &Finding> {
    model
        .file_findings
        .iter()
        .filter_map(|i| model.inv.findings.get(*i))
}

/// How many rows the banner takes.
pub fn banner_lines(model: &Model) -> u16 {
    u16::try_from(model.file_findings.len())
        .unwrap_or(BANNER_MAX)
        .min(BANNER_MAX)
}

/// The panes at `size` (columns, rows).
pub fn areas(size: (u16, u16), zoom: bool, banner: u16) -> Areas {
    let (w, h) = size;
    let header_h = 2.min(h);
    let banner_h = banner.min(h.saturating_sub(header_h + 4) / 2);
    let bottom = 2.min(h.saturating_sub(header_h + banner_h));
    let body_h = h.saturating_sub(header_h + banner_h + bottom);
    let body_y = header_h + banner_h;
    let row = |y: u16, height: u16| Rect::new(0, y, w, height);
    let wide = w >= WIDE && body_h >= 8;
    let (list, detail) = if wide {
        let list_w = if zoom {
            w * 2 / 5
        } else {
            (w * 11 / 20).min(110)
        };
        (
            Rect::new(0, body_y, list_w, body_h),
            Rect::new(list_w, body_y, w - list_w, body_h),
        )
    } else {
        let detail_h = if zoom {
            body_h.saturating_sub(4)
        } else {
            (body_h / 2).min(10)
        };
        let list_h = body_h - detail_h;
        (row(body_y, list_h), row(body_y + list_h, detail_h))
    };
    Areas {
        header: row(0, header_h),
        banner: row(header_h, banner_h),
        list,
        detail,
        status: row(body_y + body_h, bottom.min(1)),
        footer: row(body_y + body_h + 1, bottom.saturating_sub(1)),
        wide,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panes_tile_the_screen_at_any_size() {
        for (w, h) in [(1, 1), (20, 5), (80, 24), (139, 40), (140, 40), (200, 50)] {
            for banner in [0, 3] {
                let a = areas((w, h), false, banner);
                let rows = a.header.height
                    + a.banner.height
                    + a.list.height.max(a.detail.height)
                    + a.status.height
                    + a.footer.height;
                if a.wide {
                    assert_eq!(a.list.height, a.detail.height);
                    assert_eq!(a.list.width + a.detail.width, w);
                } else {
                    assert_eq!(
                        a.header.height
                            + a.banner.height
                            + a.list.height
                            + a.detail.height
                            + a.status.height
                            + a.footer.height,
                        h,
                        "{w}x{h}"
                    );
                }
                assert!(rows <= h, "{w}x{h}");
            }
        }
        assert!(areas((200, 50), false, 0).wide);
        assert!(!areas((80, 24), false, 0).wide);
    }
}
