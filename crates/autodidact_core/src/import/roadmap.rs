//! roadmap.sh roadmap files: `{"nodes": [...], "edges": [...]}` as their editor saves them.
//!
//! Topic, subtopic and todo nodes are things to learn; every other node type is layout
//! (titles, paragraphs, buttons, lines) and is dropped. Edges are drawing connectors, not
//! prerequisites: they are used only to group subtopics under the topic they hang from.
//!
//! A subtopic belongs to a topic by the roadmap's own structure, in this order: the topic its
//! edges lead to (through other subtopics too, the nearest by number of edges); the topic in the
//! same section box; the topic of its column (a stack of subtopics at one x is one group,
//! placed by whichever member says most); and only then the topic nearest on the canvas. A
//! node's resource links (`data.href`, `data.links`) become its URL and notes.
//! roadmap.sh content is licensed for personal use, so no roadmap of theirs ships with this
//! project; the tests use samples written for it.

use std::cmp::Ordering;
use std::collections::HashMap;

use serde::Deserialize;

use super::draft::{Draft, Estimate, NewItem};
use super::error::count;
use super::{ImportError, Imported, SourceFormat, json};
use crate::curriculum::{ItemKind, is_web_url};

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
    width: Option<f64>,
    height: Option<f64>,
    #[serde(default)]
    style: Option<Size>,
}

#[derive(Debug, Default, Deserialize)]
struct NodeData {
    label: Option<String>,
    href: Option<String>,
    #[serde(default)]
    links: Vec<Link>,
    #[serde(default)]
    style: Option<Size>,
}

#[derive(Debug, Default, Deserialize)]
struct Size {
    width: Option<f64>,
    height: Option<f64>,
}

#[derive(Debug, Deserialize)]
struct Link {
    #[serde(alias = "title")]
    label: Option<String>,
    url: Option<String>,
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
    /// The index of the section box holding its middle, if one does.
    section: Option<usize>,
    href: Option<&'a str>,
    links: &'a [Link],
}

/// A section box: a rectangle that groups what is drawn inside it.
#[derive(Debug, Clone, Copy)]
struct Rect {
    x: f64,
    y: f64,
    width: f64,
    height: f64,
}

impl Rect {
    fn of(node: &Node) -> Option<Rect> {
        let p = node.position?;
        let style = node
            .style
            .as_ref()
            .or_else(|| node.data.as_ref().and_then(|d| d.style.as_ref()));
        let width = node.width.or(style.and_then(|s| s.width))?;
        let height = node.height.or(style.and_then(|s| s.height))?;
        (width > 0.0 && height > 0.0).then_some(Rect {
            x: p.x,
            y: p.y,
            width,
            height,
        })
    }

    fn holds(&self, x: f64, y: f64) -> bool {
        (self.x..=self.x + self.width).contains(&x) && (self.y..=self.y + self.height).contains(&y)
    }
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
    let sections: Vec<Rect> = nodes
        .iter()
        .filter(|n| n.kind == "section")
        .filter_map(Rect::of)
        .collect();
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
        // The node's middle, where it has a size.
        let (mx, my) = (
            x + node.width.unwrap_or(0.0) / 2.0,
            y + node.height.unwrap_or(0.0) / 2.0,
        );
        // The smallest box holding it, for boxes drawn inside boxes.
        let section = sections
            .iter()
            .enumerate()
            .filter(|(_, r)| r.holds(mx, my))
            .min_by(|(_, a), (_, b)| (a.width * a.height).total_cmp(&(b.width * b.height)))
            .map(|(i, _)| i);
        let data = node.data.as_ref();
        learnable.push(Learnable {
            index,
            id: &node.id,
            label: label(node),
            topic,
            todo,
            x,
            y,
            section,
            href: data.and_then(|d| d.href.as_deref()),
            links: data.map_or(&[][..], |d| d.links.as_slice()),
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
    // Resource links: the first web address is the item's; all of them go to its notes.
    let links: Vec<(&str, &str)> = node
        .href
        .map(|h| ("", h))
        .into_iter()
        .chain(
            node.links
                .iter()
                .filter_map(|l| Some((l.label.as_deref().unwrap_or_default(), l.url.as_deref()?))),
        )
        .filter(|(_, url)| is_web_url(url.trim()))
        .collect();
    item.url = links.first().map(|(_, url)| url.trim().to_owned());
    if links.len() > 1
        || links
            .first()
            .is_some_and(|(label, _)| !label.trim().is_empty())
    {
        item.notes = links
            .iter()
            .map(|(label, url)| {
                let label = label.trim();
                if label.is_empty() {
                    format!("- <{}>", url.trim())
                } else {
                    format!("- [{label}]({})", url.trim())
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
    }
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
    let topics: Vec<usize> = (0..nodes.len()).filter(|&i| nodes[i].topic).collect();
    if topics.is_empty() {
        return vec![nodes.iter().collect()];
    }
    let slot_of: HashMap<usize, usize> = topics.iter().enumerate().map(|(s, &i)| (i, s)).collect();
    let by_id: HashMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| !n.id.is_empty())
        .map(|(i, n)| (n.id, i))
        .collect();
    // Edges are undirected here: roadmap.sh draws them either way round.
    let mut next: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    for edge in edges {
        if let (Some(&a), Some(&b)) = (
            by_id.get(edge.source.as_str()),
            by_id.get(edge.target.as_str()),
        ) {
            next[a].push(b);
            next[b].push(a);
        }
    }
    let mut slot: Vec<Option<usize>> = vec![None; nodes.len()];
    // 1. Edges: a breadth-first walk from every topic at once, through subtopics only, so each
    //    subtopic goes to the topic fewest edges away (the nearer on the canvas on a tie).
    let mut frontier: Vec<usize> = topics.clone();
    for &t in &topics {
        slot[t] = slot_of.get(&t).copied();
    }
    while !frontier.is_empty() {
        let mut reached: Vec<(usize, usize)> = Vec::new();
        for &from in &frontier {
            let Some(s) = slot[from] else { continue };
            for &to in &next[from] {
                if slot[to].is_none() && !nodes[to].topic {
                    reached.push((to, s));
                }
            }
        }
        reached.sort_by(|&(a, sa), &(b, sb)| {
            a.cmp(&b).then_with(|| {
                distance(&nodes[a], &nodes[topics[sa]])
                    .total_cmp(&distance(&nodes[b], &nodes[topics[sb]]))
            })
        });
        frontier.clear();
        for (node, s) in reached {
            if slot[node].is_none() {
                slot[node] = Some(s);
                frontier.push(node);
            }
        }
    }
    // 2. Section boxes: with the topic in the same box (the nearest, if several).
    for i in 0..nodes.len() {
        if slot[i].is_some() {
            continue;
        }
        let Some(section) = nodes[i].section else {
            continue;
        };
        slot[i] = topics
            .iter()
            .enumerate()
            .filter(|&(_, &t)| nodes[t].section == Some(section))
            .min_by(|&(_, &a), &(_, &b)| {
                distance(&nodes[i], &nodes[a]).total_cmp(&distance(&nodes[i], &nodes[b]))
            })
            .map(|(s, _)| s);
    }
    // 3. Columns: subtopics stacked at one x, without gaps, go together: where most of the
    //    placed ones went, else to the topic nearest the column's top.
    for column in columns(nodes, &slot) {
        let mut votes: HashMap<usize, usize> = HashMap::new();
        for &i in &column {
            if let Some(s) = slot[i] {
                *votes.entry(s).or_default() += 1;
            }
        }
        let chosen = votes
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
            .map(|(s, _)| s)
            .or_else(|| nearest_topic(&nodes[column[0]], nodes, &topics));
        for &i in &column {
            slot[i] = slot[i].or(chosen);
        }
    }
    // 4. What is left: the nearest topic on the canvas.
    for i in 0..nodes.len() {
        if slot[i].is_none() {
            slot[i] = nearest_topic(&nodes[i], nodes, &topics);
        }
    }
    let mut groups: Vec<Vec<&Learnable>> = topics.iter().map(|&t| vec![&nodes[t]]).collect();
    for (i, node) in nodes.iter().enumerate().filter(|(_, n)| !n.topic) {
        if let Some(group) = slot[i].and_then(|s| groups.get_mut(s)) {
            group.push(node);
        }
    }
    groups
}

/// Distance on the canvas, with vertical distance counting double: a roadmap reads downwards,
/// and a subtopic beside a topic belongs to it more than one far above or below.
fn distance(a: &Learnable, b: &Learnable) -> f64 {
    let (dx, dy) = (a.x - b.x, (a.y - b.y) * 2.0);
    (dx * dx + dy * dy).sqrt()
}

fn nearest_topic(node: &Learnable, nodes: &[Learnable], topics: &[usize]) -> Option<usize> {
    topics
        .iter()
        .enumerate()
        .min_by(|&(sa, &a), &(sb, &b)| {
            distance(node, &nodes[a])
                .total_cmp(&distance(node, &nodes[b]))
                .then(sa.cmp(&sb))
        })
        .map(|(s, _)| s)
}

/// Stacks of subtopics and todos at the same x (within a few pixels), each without a gap of
/// more than a node's height or two between neighbours, top to bottom; only stacks with a
/// member not yet placed.
fn columns(nodes: &[Learnable], slot: &[Option<usize>]) -> Vec<Vec<usize>> {
    const SAME_X: f64 = 12.0;
    const GAP: f64 = 110.0;
    let mut members: Vec<usize> = (0..nodes.len())
        .filter(|&i| !nodes[i].topic && nodes[i].x < f64::MAX)
        .collect();
    members.sort_by(|&a, &b| {
        nodes[a]
            .x
            .total_cmp(&nodes[b].x)
            .then(nodes[a].y.total_cmp(&nodes[b].y))
    });
    let mut out: Vec<Vec<usize>> = Vec::new();
    for i in members {
        let joins = out.last().and_then(|c| c.last()).is_some_and(|&last| {
            (nodes[last].x - nodes[i].x).abs() <= SAME_X && nodes[i].y - nodes[last].y <= GAP
        });
        if joins {
            if let Some(c) = out.last_mut() {
                c.push(i);
            }
        } else {
            out.push(vec![i]);
        }
    }
    out.retain(|c| c.len() > 1 && c.iter().any(|&i| slot[i].is_none()));
    for c in &mut out {
        c.sort_by(|&a, &b| nodes[a].y.total_cmp(&nodes[b].y));
    }
    out
}
