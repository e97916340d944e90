//! What a tool gives back: a structured JSON document (the CLI's `--json` shape, cut to a
//! page, its strings made inert) with a short text rendering, or a one-line refusal. Sized for
//! an agent: lists come a page at a time with how many more there are and the offset to ask
//! for next.

use crate::handles::HandleError;
use crate::safety::{self, PathError};
use rmcp::model::{CallToolResult, ContentBlock};
use serde_json::{json, Value};

/// A tool's successful answer.
pub struct Answer {
    /// The document (made inert when the answer is sent).
    pub structured: Value,
    /// A few lines for a reader; heap strings appear in it only quoted ([`safety::quoted`]).
    pub text: String,
}

impl Answer {
    /// The MCP result: the text rendering as content, the document as structured content.
    pub fn into_result(self) -> CallToolResult {
        let mut structured = self.structured;
        safety::inert_json(&mut structured);
        let mut result = CallToolResult::success(vec![ContentBlock::text(self.text)]);
        result.structured_content = Some(structured);
        result
    }
}

/// Why a tool call was refused or failed; said in one line, the server carrying on.
#[derive(Debug)]
pub enum ToolError {
    /// An argument is wrong (a value out of range, an unknown sort, a missing earlier
    /// snapshot).
    Argument(String),
    /// A path is refused.
    Path(PathError),
    /// A handle is unknown, or too many are open.
    Handle(HandleError),
    /// The snapshot has no object with this id.
    NoSuchObject {
        /// The snapshot's handle.
        handle: String,
        /// The id asked for.
        id: u32,
    },
    /// The snapshot could not be loaded or read (the engine's one-line error).
    Load {
        /// The snapshot's handle or path.
        what: String,
        /// The engine's reason.
        reason: String,
    },
    /// The tool is turned off in this server.
    Disabled(&'static str),
    /// A capture could not be made (the capture layer's one-line reason).
    Capture(String),
    /// The work thread failed (a bug): said, and the server carries on.
    Internal(String),
}

impl std::fmt::Display for ToolError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ToolError::Argument(m) => write!(f, "bad argument: {m}"),
            ToolError::Path(e) => e.fmt(f),
            ToolError::Handle(e) => e.fmt(f),
            ToolError::NoSuchObject { handle, id } => write!(
                f,
                "snapshot {handle} has no object @{id} (ids come from the other tools' answers)"
            ),
            ToolError::Load { what, reason } => write!(f, "cannot load {what}: {reason}"),
            ToolError::Disabled(m) => f.write_str(m),
            ToolError::Capture(m) => write!(f, "capture failed: {m}"),
            ToolError::Internal(m) => write!(f, "internal error: {m}"),
        }
    }
}

impl std::error::Error for ToolError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ToolError::Path(e) => Some(e),
            ToolError::Handle(e) => Some(e),
            _ => None,
        }
    }
}

impl From<PathError> for ToolError {
    fn from(e: PathError) -> Self {
        ToolError::Path(e)
    }
}

impl From<HandleError> for ToolError {
    fn from(e: HandleError) -> Self {
        ToolError::Handle(e)
    }
}

impl ToolError {
    /// The MCP result of a refusal: `isError` with the one line (made inert: it may quote a
    /// path or a heap string).
    pub fn into_result(self) -> CallToolResult {
        let line = safety::inert(&self.to_string().replace('\n', " "));
        let mut result = CallToolResult::error(vec![ContentBlock::text(line.clone())]);
        result.structured_content = Some(json!({ "error": line }));
        result
    }
}

/// What a tool's result is: an answer or a refusal.
pub type ToolResult = Result<Answer, ToolError>;

/// One page of a list: where it starts, how long it may be, how many items there are.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    /// The first item shown.
    pub offset: usize,
    /// The most items shown.
    pub limit: usize,
    /// Items in the whole list.
    pub total: usize,
}

impl Page {
    /// The page of `total` items asked for with `offset` and `limit` (`default` when absent,
    /// at most `max`).
    pub fn new(
        offset: Option<usize>,
        limit: Option<usize>,
        default: usize,
        max: usize,
        total: usize,
    ) -> Result<Page, ToolError> {
        let limit = limit.unwrap_or(default);
        if limit == 0 || limit > max {
            return Err(ToolError::Argument(format!(
                "limit must be between 1 and {max}"
            )));
        }
        Ok(Page {
            offset: offset.unwrap_or(0),
            limit,
            total,
        })
    }

    /// The range of the items shown.
    pub fn range(&self) -> std::ops::Range<usize> {
        let start = self.offset.min(self.total);
        start..(start + self.limit).min(self.total)
    }

    /// Items after this page.
    pub fn more(&self) -> usize {
        self.total - self.range().end
    }

    /// The page's description in an answer: `{offset, limit, total, more, nextOffset}`.
    pub fn json(&self) -> Value {
        let more = self.more();
        json!({
            "offset": self.offset,
            "limit": self.limit,
            "total": self.total,
            "more": more,
            "nextOffset": (more > 0).then_some(self.range().end),
        })
    }

    /// The text rendering's last line: how many more and how to get them.
    pub fn note(&self, tool: &str) -> String {
        match self.more() {
            0 => String::new(),
            more => format!(
                "{more} more: call {tool} with offset {}\n",
                self.range().end
            ),
        }
    }

    /// The items of `all` on this page.
    pub fn cut<T>(&self, all: Vec<T>) -> Vec<T> {
        let range = self.range();
        all.into_iter()
            .skip(range.start)
            .take(range.len())
            .collect()
    }
}

/// `doc` (a JSON object) with `page` added and the list under `key` cut to the page.
pub fn paged(mut doc: Value, key: &str, page: &Page) -> Value {
    if let Some(Value::Array(items)) = doc.get_mut(key) {
        let all = std::mem::take(items);
        *items = page.cut(all);
    }
    if let Value::Object(map) = &mut doc {
        map.insert("page".to_string(), page.json());
    }
    doc
}

/// `value` as JSON (the documents are plain data and always serialise).
pub fn to_value<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or_else(|e| json!({ "error": e.to_string() }))
}
