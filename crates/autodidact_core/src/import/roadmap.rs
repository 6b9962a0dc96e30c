//! roadmap.sh roadmap files: `{"nodes": [...], "edges": [...]}` as their editor saves them.
//!
//! Topic, subtopic and todo nodes are things to learn; every other node type is layout
//! (titles, paragraphs, buttons, lines) and is dropped. Edges are drawing connectors, not
//! prerequisites: they are used only to group subtopics under the topic they hang from.
//! roadmap.sh content is licensed for personal use, so no roadmap of theirs ships with this
//! project; the tests use samples written for it.

use std::cmp::Ordering;
use std::collections::HashMap;

use serde::Deserialize;

use super::draft::{Draft, Estimate, NewItem};
use super::error::count;
use super::{ImportError, Imported, SourceFormat, json};
use crate::curriculum::ItemKind;

#[derive(Debug, Deserialize)]
struct Roadmap {
    nodes: Vec<Node>,
    #[serde(default)]
    edges: Vec<Edge>,
}

#[derive(Debug, Deserialize)]
struct Node {
    #[serde(default)]
    id: String,
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    data: Option<NodeData>,
    position: Option<Position>,
}

#[derive(Debug, Default, Deserialize)]
struct NodeData {
    label: Option<String>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
struct Position {
    x: f64,
    y: f64,
}

#[derive(Debug, Deserialize)]
struct Edge {
    #[serde(default)]
    source: String,
    #[serde(default)]
    target: String,
}

/// A learnable node, with its place on the canvas.
#[derive(Debug)]
struct Learnable<'a> {
    index: usize,
    id: &'a str,
    label: &'a str,
    topic: bool,
    todo: bool,
    x: f64,
    y: f64,
}

impl Learnable<'_> {
    /// Top to bottom, then left to right; nodes without a position go last, in file order.
    fn reading_order(&self, other: &Self) -> Ordering {
        self.y
            .total_cmp(&other.y)
            .then(self.x.total_cmp(&other.x))
            .then(self.index.cmp(&other.index))
    }
}

pub(super) fn import(source: &str, fallback_title: &str) -> Result<Imported, ImportError> {
    let roadmap: Roadmap = json::parse(source, SourceFormat::Roadmapsh)?;
    let title = roadmap
        .nodes
        .iter()
        .filter(|n| n.kind == "title" && !label(n).trim().is_empty())
        .min_by(|a, b| y_of(a).total_cmp(&y_of(b)))
        .map_or("", label);
    let mut draft = Draft::new(title, fallback_title);

    let (learnable, layout) = learnable_nodes(&roadmap.nodes);
    for group in group_under_topics(&learnable, &roadmap.edges) {
        if let Some(first) = group.first().filter(|n| n.topic) {
            draft.start_phase(first.label);
        }
        for node in group {
            draft.push(node_item(node));
        }
    }

    if layout > 0 {
        draft.note(format!(
            "{} (titles, paragraphs, buttons, lines) {} left out: they are drawing, not things to learn",
            count(layout, "layout node", "layout nodes"),
            if layout == 1 { "was" } else { "were" }
        ));
    }
    if !roadmap.edges.is_empty() {
        draft.note(
            "roadmap.sh edges are drawing connectors, so no prerequisites were created: add `requires` where order matters".to_owned(),
        );
    }
    draft.finish(SourceFormat::Roadmapsh)
}

/// Topics, subtopics and todos in reading order, and the number of other (layout) nodes.
fn learnable_nodes(nodes: &[Node]) -> (Vec<Learnable<'_>>, usize) {
    let mut learnable = Vec::new();
    let mut layout = 0;
    for (index, node) in nodes.iter().enumerate() {
        let (topic, todo) = match node.kind.as_str() {
            "topic" => (true, false),
            "subtopic" => (false, false),
            "todo" => (false, true),
            _ => {
                layout += 1;
                continue;
            }
        };
        let (x, y) = node.position.map_or((f64::MAX, f64::MAX), |p| (p.x, p.y));
        learnable.push(Learnable {
            index,
            id: &node.id,
            label: label(node),
            topic,
            todo,
            x,
            y,
        });
    }
    learnable.sort_by(Learnable::reading_order);
    (learnable, layout)
}

fn node_item(node: &Learnable) -> NewItem {
    let untitled = if node.topic {
        "Untitled topic"
    } else {
        "Untitled subtopic"
    };
    let title = if node.label.trim().is_empty() {
        untitled
    } else {
        node.label
    };
    let mut item = NewItem::new(title, Estimate::Missing);
    // A todo is something to do, not to read about.
    item.kind_hint = node.todo.then_some(ItemKind::Practice);
    item
}

fn label(node: &Node) -> &str {
    node.data
        .as_ref()
        .and_then(|d| d.label.as_deref())
        .unwrap_or_default()
}

fn y_of(node: &Node) -> f64 {
    node.position.map_or(f64::MAX, |p| p.y)
}

/// One group per topic (topic first, then the subtopics and todos that belong to it), in
/// reading order; without topics, a single group. `nodes` must be in reading order.
fn group_under_topics<'n, 'a>(
    nodes: &'n [Learnable<'a>],
    edges: &[Edge],
) -> Vec<Vec<&'n Learnable<'a>>> {
    let topics: Vec<&Learnable> = nodes.iter().filter(|n| n.topic).collect();
    if topics.is_empty() {
        return vec![nodes.iter().collect()];
    }
    let topic_slot: HashMap<&str, usize> = topics
        .iter()
        .enumerate()
        .map(|(slot, t)| (t.id, slot))
        .collect();
    // Edges are undirected here: roadmap.sh draws them either way round.
    let mut linked: HashMap<&str, Vec<usize>> = HashMap::new();
    for edge in edges {
        for (a, b) in [(&edge.source, &edge.target), (&edge.target, &edge.source)] {
            if let Some(&slot) = topic_slot.get(b.as_str()) {
                linked.entry(a.as_str()).or_default().push(slot);
            }
        }
    }
    let nearest = |node: &Learnable, slots: &mut dyn Iterator<Item = usize>| {
        slots.min_by(|&a, &b| {
            let da = (topics[a].y - node.y).abs();
            let db = (topics[b].y - node.y).abs();
            da.total_cmp(&db).then(a.cmp(&b))
        })
    };

    let mut groups: Vec<Vec<&Learnable>> = topics.iter().map(|t| vec![*t]).collect();
    for node in nodes.iter().filter(|n| !n.topic) {
        let slot = match linked.get(node.id).filter(|_| !node.id.is_empty()) {
            Some(slots) => nearest(node, &mut slots.iter().copied()),
            None => nearest(node, &mut (0..topics.len())),
        };
        if let Some(group) = slot.and_then(|s| groups.get_mut(s)) {
            group.push(node);
        }
    }
    groups
}
