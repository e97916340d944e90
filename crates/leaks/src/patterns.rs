//! Known leak patterns, recognised from what a suspect's holder keeps: the classes that
//! accumulate, the holder's class and its path, and the edges to the callbacks its members
//! hold. A hint, not a verdict: it names the usual cause so the user knows where to look.
//! The first rule that matches wins, most specific first.

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

/// Detached DOM trees.
pub const DETACHED_DOM: Pattern = Pattern {
    id: "detached-dom",
    hint: "DOM nodes removed from the document but still referenced",
};
/// Timers never cleared.
pub const TIMERS: Pattern = Pattern {
    id: "timers",
    hint: "timers that are never cleared (setInterval/setTimeout without clear…)",
};
/// RxJS subscriptions never closed.
pub const SUBSCRIPTIONS: Pattern = Pattern {
    id: "subscriptions",
    hint: "subscriptions that are never unsubscribed",
};
/// Listeners on `process`, added per request or per instance.
pub const PROCESS_LISTENERS: Pattern = Pattern {
    id: "process-listeners",
    hint: "listeners on `process` (exit, signals, uncaughtException) added per request or per instance and never removed",
};
/// Event listeners never removed.
pub const LISTENERS: Pattern = Pattern {
    id: "listeners",
    hint: "event listeners added per request and never removed",
};
/// Reactions queued on a promise that never settles.
pub const PENDING_PROMISE: Pattern = Pattern {
    id: "pending-promise",
    hint: "callbacks queued (`.then`, `await`) on a long-lived promise that never settles",
};
/// Requests kept in a long-lived collection.
pub const REQUESTS: Pattern = Pattern {
    id: "requests",
    hint: "requests or sockets kept in a long-lived array or map (request caching)",
};
/// A memoization cache, an in-memory store, a Map keyed per request.
pub const UNBOUNDED_CACHE: Pattern = Pattern {
    id: "unbounded-cache",
    hint: "an unbounded cache or store: entries added per key (request, user, URL) and never evicted (memoization, in-memory stores, Maps keyed by request)",
};
/// A service created once whose state grows per request.
pub const SINGLETON_SERVICE: Pattern = Pattern {
    id: "singleton-service",
    hint: "a long-lived service (created once, shared by every request) whose state grows per request: create it per request, or bound and expire its state",
};
/// A linked list that grows and is never unlinked.
pub const LINKED_LIST: Pattern = Pattern {
    id: "linked-list",
    hint: "objects chained into a linked list (`next`) that nothing unlinks: a queue nobody drains, a chain of pending work or records that only grows",
};
/// Closures piling up with their contexts.
pub const CLOSURES: Pattern = Pattern {
    id: "closures",
    hint: "closures (and the contexts they capture) kept in a growing collection",
};

/// What a suspect's holder keeps, as the patterns read it.
#[derive(Debug, Clone, Copy)]
pub struct Evidence<'a> {
    /// The classes that accumulate, most memory first.
    pub classes: &'a [&'a str],
    /// The holder's class.
    pub holder_class: &'a str,
    /// The holder's path towards the roots (`edge in retaining class`).
    pub path: &'a [Step],
    /// The edges from the members to the callbacks they hold (`_onTimeout`, `next`).
    pub held_via: &'a [&'a str],
    /// Most members are chained into a linked list.
    pub linked: bool,
}

/// Collections whose entries are added one by one.
const COLLECTIONS: &[&str] = &["Map", "Set", "Array", "Object"];
/// Classes of the language and the runtime: not a program's own services.
const BUILTIN_CLASSES: &[&str] = &[
    "Object",
    "Array",
    "Map",
    "Set",
    "WeakMap",
    "WeakSet",
    "Function",
    "Promise",
    "Error",
    "global",
    "process",
    "system / Context",
];

/// True for a plain object's or a collection's class (`{a, b}` is a plain object's shape).
fn is_collection(class: &str) -> bool {
    COLLECTIONS.contains(&class) || class.starts_with('{')
}

/// True for a class a program (or a library it uses) defines.
fn is_program_class(class: &str) -> bool {
    !(BUILTIN_CLASSES.contains(&class)
        || class.starts_with('(')
        || class.starts_with('{')
        || class.starts_with("system / ")
        || class.starts_with("Window")
        || class.is_empty())
}

/// The pattern a suspect with this evidence matches, if any.
pub fn recognise(e: &Evidence<'_>) -> Option<Pattern> {
    let leading = e.classes.first().copied().unwrap_or("");
    let has_class = |f: &dyn Fn(&str) -> bool| e.classes.iter().any(|c| f(c));
    // The object that holds the holder (the first step's retainer).
    let owner = e.path.first().map_or("", |s| s.class_name.as_str());
    if has_class(&|c| c.starts_with("Detached ")) {
        return Some(DETACHED_DOM);
    }
    if matches!(leading, "Timeout" | "Immediate" | "TimersList" | "Timer")
        || e.held_via
            .iter()
            .any(|v| v.ends_with("_onTimeout") || v.ends_with("_onImmediate"))
    {
        return Some(TIMERS);
    }
    if leading.contains("Subscriber") || leading.contains("Subscription") {
        return Some(SUBSCRIPTIONS);
    }
    if e.holder_class == "Promise" {
        return Some(PENDING_PROMISE);
    }
    // A listener list kept as a linked list (Node's EventTarget, AbortSignal).
    let listener_records = leading.contains("Listener")
        || e.held_via
            .iter()
            .any(|v| v.to_lowercase().contains("listener"));
    if e.linked && listener_records {
        return Some(LISTENERS);
    }
    if e.linked {
        return Some(LINKED_LIST);
    }
    // An emitter's listener list: the holder is `_events` or an array in it.
    let in_events = e.path.iter().take(2).any(|s| s.edge_name == "_events");
    let listeners = (e.holder_class == "EventEmitter" || in_events)
        && matches!(leading, "Function" | "system / Context");
    if listeners && e.path.iter().any(|s| s.class_name == "process") {
        return Some(PROCESS_LISTENERS);
    }
    // A DOM node's listeners: the path runs through Blink's per-node listener data.
    let on_dom_node = e
        .path
        .iter()
        .any(|s| s.class_name.contains("EventTargetData"));
    if listeners || (on_dom_node && matches!(leading, "Function" | "system / Context")) {
        return Some(LISTENERS);
    }
    if matches!(
        leading,
        "IncomingMessage" | "ServerResponse" | "Socket" | "ClientRequest" | "Request" | "Response"
    ) {
        return Some(REQUESTS);
    }
    if matches!(leading, "Function" | "system / Context") {
        return Some(CLOSURES);
    }
    // A function's own `cache` property is memoization, whoever implements the cache.
    let memoized = e
        .path
        .iter()
        .any(|s| s.edge_name.to_lowercase().contains("cache") && s.class_name == "Function");
    if is_collection(e.holder_class) || is_program_class(e.holder_class) {
        if !memoized && (is_program_class(e.holder_class) || is_program_class(owner)) {
            return Some(SINGLETON_SERVICE);
        }
        return Some(UNBOUNDED_CACHE);
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

    fn evidence<'a>(classes: &'a [&'a str], holder: &'a str, path: &'a [Step]) -> Evidence<'a> {
        Evidence {
            classes,
            holder_class: holder,
            path,
            held_via: &[],
            linked: false,
        }
    }

    #[test]
    fn recognises_patterns_by_classes_holder_and_path() {
        assert_eq!(
            recognise(&evidence(&["Timeout"], "Object", &[])),
            Some(TIMERS)
        );
        let timers = Evidence {
            held_via: &["_onTimeout"],
            ..evidence(&["PollJob"], "Object", &[])
        };
        assert_eq!(recognise(&timers), Some(TIMERS));
        let bus = [
            step("_events", "EventEmitter"),
            step("bus", "system / Context"),
        ];
        assert_eq!(
            recognise(&evidence(&["Function"], "Array", &bus)),
            Some(LISTENERS)
        );
        // Listeners on a DOM node: the path runs through Blink's listener data.
        let dom = [
            step("8", "blink::HeapVectorBacking<…>"),
            step("1", "blink::EventTargetData"),
            step("54", "HTMLDocument"),
        ];
        assert_eq!(
            recognise(&evidence(&["Function"], "blink::BasicHeapVector<…>", &dom)),
            Some(LISTENERS)
        );
        let process = [step("_events", "process")];
        assert_eq!(
            recognise(&evidence(&["Function"], "Array", &process)),
            Some(PROCESS_LISTENERS)
        );
        let handlers = [step("handlers", "system / Context")];
        assert_eq!(
            recognise(&evidence(&["Function"], "Array", &handlers)),
            Some(CLOSURES)
        );
        assert_eq!(
            recognise(&evidence(&["SafeSubscriber"], "Array", &[])),
            Some(SUBSCRIPTIONS)
        );
        assert_eq!(
            recognise(&evidence(&["Detached <div>"], "Array", &[])),
            Some(DETACHED_DOM)
        );
        assert_eq!(
            recognise(&evidence(&["IncomingMessage"], "Map", &[])),
            Some(REQUESTS)
        );
        let queue = Evidence {
            linked: true,
            ..evidence(&["Job"], "JobQueue", &[])
        };
        assert_eq!(recognise(&queue), Some(LINKED_LIST));
        let abort = Evidence {
            linked: true,
            held_via: &["listener"],
            ..evidence(&["Listener"], "Object", &[])
        };
        assert_eq!(recognise(&abort), Some(LISTENERS));
    }

    #[test]
    fn tells_a_service_s_state_from_a_cache() {
        let loader = [
            step("_cacheMap", "DataLoader"),
            step("users", "system / Context"),
        ];
        assert_eq!(
            recognise(&evidence(&["Promise"], "Map", &loader)),
            Some(SINGLETON_SERVICE)
        );
        let module = [step("prices", "system / Context")];
        assert_eq!(
            recognise(&evidence(&["Object"], "Map", &module)),
            Some(UNBOUNDED_CACHE)
        );
        let memoized = [step("__data__", "Hash"), step("cache", "Function")];
        assert_eq!(
            recognise(&evidence(&["Object"], "Object", &memoized)),
            Some(UNBOUNDED_CACHE)
        );
        assert_eq!(
            recognise(&evidence(&["Leaky"], "(internal array)", &[])),
            None
        );
    }
}
