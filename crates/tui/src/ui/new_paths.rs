//! Where a class's new objects accumulate: a heading naming the class and the base snapshot,
//! then one line per path shape, most objects first (count, share, retained size, the shape
//! towards the roots as `heaptui paths` prints it).

use crate::new_paths::NewPaths;
use crate::text;
use crate::theme::Theme;
use heaptui_common::util::sanitize::sanitize;
use heaptui_present::format;
use heaptui_present::population::shape_line;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Draws `paths` into `area`.
pub fn render(frame: &mut Frame, area: Rect, paths: &NewPaths, theme: &Theme) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let width = area.width as usize;
    let height = area.height as usize - 1;
    let line = |text: String, style| Line::styled(text::pad(&text, width), style);
    let class = sanitize(paths.class()).into_owned();
    let Some(shapes) = paths.shapes() else {
        let lines = vec![
            line(heading(paths, &class, None), theme.header()),
            line(
                "  … following their paths to the roots (keys keep working)".to_string(),
                theme.dim(),
            ),
        ];
        frame.render_widget(Paragraph::new(lines), area);
        return;
    };
    let doc = &shapes.document;
    let mut lines = vec![line(
        heading(paths, &class, Some(doc.shapes)),
        theme.header(),
    )];
    let end = (paths.offset() + height).min(doc.groups.len());
    for at in paths.offset()..end {
        let g = &doc.groups[at];
        let text = format!(
            "{:>9} {:>5.1}% {:>9}  {}",
            format::count(g.count as u64),
            g.percent,
            format::bytes(g.retained_size),
            sanitize(&shape_line(&g.path))
        );
        let (text, _) = text::fit(&text, width);
        let mut shown = line(text, ratatui::style::Style::new());
        if at == paths.cursor() {
            shown = shown.patch_style(theme.selected());
        }
        lines.push(shown);
    }
    if doc.more > 0 && lines.len() <= height {
        lines.push(line(
            format!("  … {} more shapes (heaptui paths --top N)", doc.more),
            theme.dim(),
        ));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// `  Where 200 new IncomingMessage objects are held · 3 shapes, most objects first`.
fn heading(paths: &NewPaths, class: &str, shapes: Option<usize>) -> String {
    let shapes = shapes.map_or_else(String::new, |n| {
        format!(
            " · {n} shape{}, most objects first",
            if n == 1 { "" } else { "s" }
        )
    });
    format!(
        "  Where {} new {class} objects are held{shapes}",
        format::count(paths.objects() as u64)
    )
}
