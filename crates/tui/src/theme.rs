//! The styles of every element, in one place, so `NO_COLOR` (<https://no-color.org>) can turn
//! all colors off at once: without colors, selection and emphasis use bold and reverse only.

use ratatui::style::{Color, Modifier, Style};

/// How the TUI draws emphasis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// False when the user asked for no colors.
    pub color: bool,
}

impl Theme {
    /// Colors unless `NO_COLOR` is set to a non-empty value.
    pub fn from_env() -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme { color: !no_color }
    }

    fn pick(&self, colored: Style, plain: Style) -> Style {
        if self.color {
            colored
        } else {
            plain
        }
    }

    /// The title bar and status bar.
    pub fn bar(&self) -> Style {
        self.pick(
            Style::new().fg(Color::Black).bg(Color::Cyan),
            Style::new().add_modifier(Modifier::REVERSED),
        )
    }

    /// The active view's tab in the title bar.
    pub fn tab_active(&self) -> Style {
        self.pick(
            Style::new()
                .fg(Color::White)
                .bg(Color::Blue)
                .add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    /// Column headers.
    pub fn header(&self) -> Style {
        self.pick(
            Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        )
    }

    /// The header of the column the table is sorted by.
    pub fn sorted(&self) -> Style {
        self.pick(
            Style::new()
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
        )
    }

    /// The selected row of the focused pane.
    pub fn selected(&self) -> Style {
        self.pick(
            Style::new()
                .fg(Color::White)
                .bg(Color::Blue)
                .add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
        )
    }

    /// The selected row of the pane without focus: a background only, so the row's own
    /// colors (ids, filter matches) stay readable.
    pub fn selected_unfocused(&self) -> Style {
        self.pick(
            Style::new().bg(Color::Indexed(238)),
            Style::new().add_modifier(Modifier::REVERSED),
        )
    }

    /// Filter matches inside class names.
    pub fn matched(&self) -> Style {
        self.pick(
            Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        )
    }

    /// Objects new in the after snapshot (`+`).
    pub fn added(&self) -> Style {
        self.pick(Style::new().fg(Color::Green), Style::new())
    }

    /// Objects deleted since the base snapshot (`−`).
    pub fn removed(&self) -> Style {
        self.pick(Style::new().fg(Color::Red), Style::new())
    }

    /// Secondary text: object ids, hints, cycle markers. A mid grey (256-color palette) reads
    /// on the dark background and on both selection backgrounds.
    pub fn dim(&self) -> Style {
        self.pick(
            Style::new().fg(Color::Indexed(245)),
            Style::new().add_modifier(Modifier::DIM),
        )
    }

    /// Edge names in the retainer tree.
    pub fn edge(&self) -> Style {
        self.pick(Style::new().fg(Color::Magenta), Style::new())
    }

    /// Pane borders; the focused pane's border is emphasised.
    pub fn border(&self, focused: bool) -> Style {
        match (focused, self.color) {
            (true, true) => Style::new().fg(Color::Cyan),
            (true, false) => Style::new().add_modifier(Modifier::BOLD),
            (false, _) => self.dim(),
        }
    }

    /// The filled part of a loading bar.
    pub fn gauge(&self) -> Style {
        self.pick(Style::new().fg(Color::Green), Style::new())
    }

    /// Status messages that need attention.
    pub fn message(&self) -> Style {
        self.pick(
            Style::new().fg(Color::Black).bg(Color::Yellow),
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
        )
    }
}
