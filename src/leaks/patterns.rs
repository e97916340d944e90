//! Known leak patterns, recognised from a suspect's class and its dominant retaining path.
//! A hint, not a verdict: it names the usual cause so the user knows where to look.

/// One step of a retaining path: the edge and the class of the object it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    /// The edge name (`cache`, `0`, `_events`, …).
    pub edge_name: String,
    /// The Summary class of the retaining object.
    pub class_name: String,
}

/// A leak pattern with its usual cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pattern {
    /// Short id used in `--json` (`timers`, `listeners`, …).
    pub id: &'static str,
    /// What usually causes it.
    pub hint: &'static str,
}

/// Timers never cleared.
pub const TIMERS: Pattern = Pattern {
    id: "timers",
    hint: "timers that are never cleared (setInterval/setTimeout without clear…)",
};
/// Event listeners never removed.
pub const LISTENERS: Pattern = Pattern {
    id: "listeners",
    hint: "event listeners added per request and never removed",
};
/// RxJS subscriptions never closed.
pub const SUBSCRIPTIONS: Pattern = Pattern {
    id: "subscriptions",
    hint: "subscriptions that are never unsubscribed",
};
/// Requests kept in a long-lived collection.
pub const REQUESTS: Pattern = Pattern {
    id: "requests",
    hint: "requests or sockets kept in a long-lived array or map (request caching)",
};
/// Closures piling up with their contexts.
pub const CLOSURES: Pattern = Pattern {
    id: "closures",
    hint: "closures (and the contexts they capture) kept in a growing collection",
};
/// Detached DOM trees.
pub const DETACHED_DOM: Pattern = Pattern {
    id: "detached-dom",
    hint: "DOM nodes removed from the document but still referenced",
};

/// The pattern a suspect class with this retaining path matches, if any.
pub fn recognise(class: &str, path: &[Step]) -> Option<Pattern> {
    let on_path = |name: &str| {
        path.iter()
            .any(|s| s.edge_name == name || s.class_name == name)
    };
    if class.starts_with("Detached ") {
        return Some(DETACHED_DOM);
    }
    if matches!(class, "Timeout" | "Immediate" | "TimersList" | "Timer") {
        return Some(TIMERS);
    }
    if class.contains("Subscriber") || class.contains("Subscription") {
        return Some(SUBSCRIPTIONS);
    }
    if matches!(
        class,
        "IncomingMessage" | "ServerResponse" | "Socket" | "ClientRequest" | "Request" | "Response"
    ) {
        return Some(REQUESTS);
    }
    if matches!(class, "Function" | "system / Context") {
        return Some(if on_path("_events") || on_path("EventEmitter") {
            LISTENERS
        } else {
            CLOSURES
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(edge: &str, class: &str) -> Step {
        Step {
            edge_name: edge.into(),
            class_name: class.into(),
        }
    }

    #[test]
    fn recognises_patterns_by_class_and_path() {
        assert_eq!(recognise("Timeout", &[]), Some(TIMERS));
        assert_eq!(
            recognise(
                "Function",
                &[step("0", "Array"), step("_events", "EventEmitter")]
            ),
            Some(LISTENERS)
        );
        assert_eq!(
            recognise(
                "Function",
                &[step("0", "Array"), step("handlers", "system / Context")]
            ),
            Some(CLOSURES)
        );
        assert_eq!(recognise("SafeSubscriber", &[]), Some(SUBSCRIPTIONS));
        assert_eq!(recognise("Detached <div>", &[]), Some(DETACHED_DOM));
        assert_eq!(recognise("Leaky", &[]), None);
    }
}
