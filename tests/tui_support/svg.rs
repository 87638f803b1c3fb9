//! A small SVG writer for `TestBackend` buffers: one monospace text cell per terminal cell,
//! with its foreground and background colours, so the README's pictures are the real screens.

use std::fmt::Write;

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

const CELL_W: f32 = 8.4;
const CELL_H: f32 = 17.0;
const FONT: f32 = 14.0;
const BG: &str = "#1e1e2e";
const FG: &str = "#cdd6f4";

/// The xterm colour of a ratatui colour (`None`: the default).
fn rgb(c: Color) -> Option<String> {
    let s = match c {
        Color::Reset => return None,
        Color::Black => "#45475a",
        Color::Red => "#f38ba8",
        Color::Green => "#a6e3a1",
        Color::Yellow => "#f9e2af",
        Color::Blue => "#89b4fa",
        Color::Magenta => "#f5c2e7",
        Color::Cyan => "#94e2d5",
        Color::Gray => "#bac2de",
        Color::DarkGray => "#7f849c",
        Color::LightRed => "#eba0ac",
        Color::LightGreen => "#b5f0b0",
        Color::LightYellow => "#fbecc4",
        Color::LightBlue => "#74c7ec",
        Color::LightMagenta => "#cba6f7",
        Color::LightCyan => "#89dceb",
        Color::White => "#ffffff",
        Color::Rgb(r, g, b) => return Some(format!("#{r:02x}{g:02x}{b:02x}")),
        Color::Indexed(i) => return Some(format!("#{i:02x}{i:02x}{i:02x}")),
    };
    Some(s.to_string())
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn rect(out: &mut String, left: f32, right: f32, top: f32, colour: &str) {
    writeln!(
        out,
        r#"<rect x="{left:.1}" y="{top:.1}" width="{:.1}" height="{CELL_H:.1}" fill="{colour}"/>"#,
        right - left + 0.2
    )
    .unwrap();
}

/// Renders `buffer` as an SVG document.
pub fn render(buffer: &Buffer) -> String {
    let area = buffer.area;
    let width = f32::from(area.width) * CELL_W + 16.0;
    let height = f32::from(area.height) * CELL_H + 16.0;
    let mut bg = String::new();
    let mut fg = String::new();
    for y in 0..area.height {
        let top = 8.0 + f32::from(y) * CELL_H;
        let base = top + CELL_H * 0.78;
        let mut run: Option<(f32, String)> = None;
        for x in 0..area.width {
            let cell = &buffer[(x, y)];
            let reversed = cell.modifier.contains(Modifier::REVERSED);
            let (mut f, mut b) = (rgb(cell.fg), rgb(cell.bg));
            if reversed {
                let f0 = f.take().unwrap_or_else(|| FG.to_string());
                let b0 = b.take().unwrap_or_else(|| BG.to_string());
                f = Some(b0);
                b = Some(f0);
            }
            let left = 8.0 + f32::from(x) * CELL_W;
            // Runs of one background colour become one rectangle.
            match (b, run.take()) {
                (Some(b), Some((start, colour))) if colour == b => run = Some((start, colour)),
                (b, open) => {
                    if let Some((start, colour)) = open {
                        rect(&mut bg, start, left, top, &colour);
                    }
                    run = b.map(|b| (left, b));
                }
            }
            let sym = cell.symbol();
            if sym.trim().is_empty() {
                continue;
            }
            let mut attrs = String::new();
            if let Some(f) = f {
                write!(attrs, r#" fill="{f}""#).unwrap();
            }
            if cell.modifier.contains(Modifier::BOLD) {
                attrs.push_str(r#" font-weight="bold""#);
            }
            if cell.modifier.contains(Modifier::UNDERLINED) {
                attrs.push_str(r#" text-decoration="underline""#);
            }
            writeln!(
                fg,
                r#"<text x="{left:.1}" y="{base:.1}"{attrs}>{}</text>"#,
                escape(sym)
            )
            .unwrap();
        }
        if let Some((start, colour)) = run.take() {
            rect(
                &mut bg,
                start,
                8.0 + f32::from(area.width) * CELL_W,
                top,
                &colour,
            );
        }
    }
    format!(
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0}" height="{h:.0}" viewBox="0 0 {w:.0} {h:.0}">"#,
            "\n",
            r#"<rect width="100%" height="100%" rx="6" fill="{bg0}"/>"#,
            "\n{bg}",
            r#"<g font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="{font}" fill="{fg0}" xml:space="preserve">"#,
            "\n{fg}</g>\n</svg>\n"
        ),
        w = width,
        h = height,
        bg0 = BG,
        fg0 = FG,
        font = FONT,
        bg = bg,
        fg = fg,
    )
}
