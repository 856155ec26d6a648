//! Diagrams as SVG pictures, laid out by the library: a layered
//! (Sugiyama) layout from `rust-sugiyama` of table boxes sized from their
//! text, foreign keys drawn as curves from column row to column row.

use rust_sugiyama::configure::{Config, RankingType};

use super::dot::{sign, was};
use super::text::{clip, xml};
use super::{Diagram, Entity, Link, Mark};

/// The text is in a monospace font, so that a box's width follows from
/// its longest line: a character is 0.6 of the font size wide.
const FONT: f64 = 12.0;
const SMALL: f64 = 10.0;
const CHAR: f64 = FONT * 0.6;
const SMALL_CHAR: f64 = SMALL * 0.6;
const HEADER: f64 = 24.0;
const ROW: f64 = 18.0;
const SMALL_ROW: f64 = 14.0;
const PAD: f64 = 8.0;
/// Space between the parts of a picture that no key joins.
const GAP: f64 = 56.0;
/// Space between two boxes of a layer (and a key's path through a layer).
const SPACING: f64 = 18.0;
/// Space between layers, for the curves.
const LAYER_GAP: f64 = 90.0;
const MARGIN: f64 = 20.0;
/// The most tables whose layers are refined by swapping neighbours.
const TRANSPOSE_LIMIT: usize = 300;
/// The most tables laid out in layers that keep keys short.
const SIMPLEX_LIMIT: usize = 1000;
/// The longest check expression or index list shown in full.
const DETAIL: usize = 48;

/// A table's box: its size, and where its rows start.
struct Boxed {
    w: f64,
    h: f64,
    /// Width of the key-marker column.
    key_w: f64,
    /// Width of the name column.
    name_w: f64,
    /// The names compartment's lines.
    lines: Vec<(String, Option<Mark>)>,
    x: f64,
    y: f64,
    /// The connected part of the picture it is in.
    part: usize,
}

/// A layer of a part of the picture: a column of boxes, with its left and
/// right and the boxes' spans from top to bottom.
struct Layer {
    part: usize,
    left: f64,
    right: f64,
    spans: Vec<(f64, f64)>,
}

/// The layers: the boxes of a part that share a middle.
fn layers(boxes: &[Boxed]) -> Vec<Layer> {
    let mut map: std::collections::BTreeMap<(usize, i64), Layer> = Default::default();
    for b in boxes {
        let key = (b.part, ((b.x + b.w / 2.0) * 10.0).round() as i64);
        let l = map.entry(key).or_insert(Layer {
            part: b.part,
            left: f64::MAX,
            right: f64::MIN,
            spans: Vec::new(),
        });
        l.left = l.left.min(b.x);
        l.right = l.right.max(b.x + b.w);
        l.spans.push((b.y, b.y + b.h));
    }
    let mut out: Vec<Layer> = map.into_values().collect();
    for l in &mut out {
        l.spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    }
    out
}

/// The height nearest `target` at which a key crosses `layer` without
/// touching a box (a box's span, widened by a clearance, is closed to it).
fn gap(layer: &Layer, target: f64) -> f64 {
    const CLEAR: f64 = 5.0;
    let spans = &layer.spans;
    // The first span that does not end above the target.
    let i = spans.partition_point(|s| s.1 + CLEAR < target);
    let Some(&(top, bottom)) = spans.get(i) else {
        return target;
    };
    if target < top - CLEAR {
        return target;
    }
    // Inside a closed span: its top or its bottom, where that is open.
    let above = top - CLEAR;
    let above_open = i == 0 || spans[i - 1].1 + CLEAR < above;
    let below = bottom + CLEAR;
    let below_open = spans.get(i + 1).is_none_or(|n| below < n.0 - CLEAR);
    match (above_open, below_open) {
        (true, true) if target - above <= below - target => above,
        (true, true) | (false, true) => below,
        (true, false) => above,
        // Boxes too close to pass between: past the whole layer's end.
        (false, false) => {
            let first = spans[0].0 - CLEAR;
            let last = spans[spans.len() - 1].1 + CLEAR;
            if target - first <= last - target {
                first
            } else {
                last
            }
        }
    }
}

fn text_width(s: &str, char_w: f64) -> f64 {
    s.chars().count() as f64 * char_w
}

fn column_name(e: &Entity, i: usize) -> String {
    let c = &e.columns[i];
    format!(
        "{}{}{}",
        sign(c.mark.as_ref()),
        c.name,
        was(c.mark.as_ref())
    )
}

fn column_type(e: &Entity, i: usize) -> String {
    let c = &e.columns[i];
    if c.nullable {
        c.ty.clone()
    } else {
        format!("{} not null", c.ty)
    }
}

fn measure(e: &Entity) -> Boxed {
    let title = format!(
        "{}{}{}",
        sign(e.mark.as_ref()),
        e.full_name(),
        was(e.mark.as_ref())
    );
    let key_w = e
        .columns
        .iter()
        .map(|c| text_width(&c.markers().join(" "), CHAR))
        .fold(0.0, f64::max);
    let name_w = (0..e.columns.len())
        .map(|i| text_width(&column_name(e, i), CHAR))
        .fold(0.0, f64::max);
    let type_w = (0..e.columns.len())
        .map(|i| text_width(&column_type(e, i), CHAR))
        .fold(0.0, f64::max);
    let lines: Vec<(String, Option<Mark>)> = e
        .objects
        .iter()
        .map(|x| {
            let name = if x.name.is_empty() {
                "(unnamed)"
            } else {
                &x.name
            };
            (
                format!(
                    "{}{} {} ({}){}",
                    sign(x.mark.as_ref()),
                    x.kind.marker(),
                    name,
                    clip(&x.detail, DETAIL),
                    was(x.mark.as_ref())
                ),
                x.mark.clone(),
            )
        })
        .collect();
    let lines_w = lines
        .iter()
        .map(|(l, _)| text_width(l, SMALL_CHAR))
        .fold(0.0, f64::max);
    let key_part = if key_w > 0.0 { key_w + PAD } else { 0.0 };
    let row_w = PAD + key_part + name_w + 2.0 * PAD + type_w + PAD;
    let w = row_w
        .max(text_width(&title, FONT * 0.6) + 2.0 * PAD)
        .max(lines_w + 2.0 * PAD)
        .max(80.0)
        .ceil();
    let names_h = if lines.is_empty() {
        0.0
    } else {
        lines.len() as f64 * SMALL_ROW + 6.0
    };
    let h = HEADER + e.columns.len() as f64 * ROW + names_h + 2.0;
    Boxed {
        w,
        h: h.ceil(),
        key_w: key_part,
        name_w,
        lines,
        x: 0.0,
        y: 0.0,
        part: 0,
    }
}

fn fill(mark: Option<&Mark>) -> (&'static str, &'static str) {
    match mark {
        Some(Mark::Added) => ("#d5f5d5", "#1a7f1a"),
        Some(Mark::Dropped) => ("#f8d7d7", "#b22222"),
        Some(Mark::Renamed(_)) => ("#d7e6f8", "#1f5fa8"),
        Some(Mark::Altered) => ("#fbecc8", "#9a6700"),
        None => ("#e8eef6", "#1b1f24"),
    }
}

/// Places the boxes: each connected part of the graph laid out in layers,
/// referred tables above the tables that refer to them, and the parts
/// packed in rows, largest first.
fn place(d: &Diagram, boxes: &mut [Boxed]) -> (f64, f64) {
    // The layout's layers run top to bottom; the picture's run left to
    // right, so that each key leaves a row sideways: sizes go in turned a
    // quarter, with the room between layers for the curves added to each
    // box, and positions come out turned back.
    let vertices: Vec<(u32, (f64, f64))> = boxes
        .iter()
        .enumerate()
        .map(|(i, b)| (i as u32, (b.h, b.w + LAYER_GAP)))
        .collect();
    let mut edges: Vec<(u32, u32)> = d
        .links
        .iter()
        .filter(|l| l.from != l.to)
        .map(|l| (l.to as u32, l.from as u32))
        .collect();
    edges.sort_unstable();
    edges.dedup();
    let config = Config {
        vertex_spacing: SPACING,
        // Swapping neighbours to save crossings costs the square of a
        // layer's width: past a few hundred tables it takes minutes.
        transpose: boxes.len() <= TRANSPOSE_LIMIT,
        // Layers that keep keys short (a network simplex) cost more than
        // linear time: past a thousand tables, each table goes in the
        // highest layer it can.
        ranking_type: if boxes.len() <= SIMPLEX_LIMIT {
            RankingType::MinimizeEdgeLength
        } else {
            RankingType::Up
        },
        ..Config::default()
    };
    let parts = rust_sugiyama::from_vertices_and_edges(&vertices, &edges, &config);
    // Each part's boxes relative to its own top-left corner.
    let mut placed: Vec<(Vec<usize>, f64, f64)> = Vec::new();
    for (part, (layout, _, _)) in parts.into_iter().enumerate() {
        let mut ids: Vec<usize> = Vec::with_capacity(layout.len());
        let (mut min_x, mut min_y, mut max_x, mut max_y) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for (id, (y, x)) in &layout {
            let b = &mut boxes[*id];
            b.part = part;
            b.x = x - b.w / 2.0;
            b.y = y - b.h / 2.0;
            min_x = min_x.min(b.x);
            min_y = min_y.min(b.y);
            max_x = max_x.max(b.x + b.w);
            max_y = max_y.max(b.y + b.h);
            ids.push(*id);
        }
        for &id in &ids {
            boxes[id].x -= min_x;
            boxes[id].y -= min_y;
        }
        ids.sort_unstable();
        placed.push((ids, max_x - min_x, max_y - min_y));
    }
    // Largest parts first, then in the tables' order.
    placed.sort_by(|a, b| (b.0.len(), a.0.first()).cmp(&(a.0.len(), b.0.first())));
    let area: f64 = placed.iter().map(|p| (p.1 + GAP) * (p.2 + GAP)).sum();
    let widest = placed.iter().map(|p| p.1).fold(0.0, f64::max);
    let row_limit = widest.max(area.sqrt() * 1.4);
    let (mut x, mut y, mut row_h, mut width) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
    for (ids, w, h) in &placed {
        if x > 0.0 && x + w > row_limit {
            x = 0.0;
            y += row_h + GAP;
            row_h = 0.0;
        }
        for &id in ids {
            boxes[id].x += x + MARGIN;
            boxes[id].y += y + MARGIN;
        }
        x += w + GAP;
        row_h = row_h.max(*h);
        width = width.max(x - GAP);
    }
    (width + 2.0 * MARGIN, y + row_h + 2.0 * MARGIN)
}

/// The y of a column's row middle, or of the header's.
fn row_y(b: &Boxed, column: Option<usize>) -> f64 {
    match column {
        Some(c) => b.y + HEADER + c as f64 * ROW + ROW / 2.0,
        None => b.y + HEADER / 2.0,
    }
}

/// A foreign key's path: out of the referring row's side that faces the
/// referred box, across each layer in between through the gap between its
/// boxes nearest the straight line, into the referred row's facing side;
/// straight inside a layer, curved between layers. When the two boxes
/// overlap side to side it bows out of and into their left sides.
fn curve(from: &Boxed, to: &Boxed, l: &Link, layers: &[Layer]) -> (String, [f64; 4]) {
    let y1 = row_y(from, l.from_columns.first().copied());
    let y2 = row_y(to, l.to_columns.first().copied());
    if std::ptr::eq(from, to) {
        let x = from.x + from.w;
        let bulge = 30.0 + (y1 - y2).abs() / 4.0;
        return bezier([x, y1], [x + bulge, y1], [x + bulge, y2], [x, y2]);
    }
    let leftward = from.x > to.x + to.w;
    if !leftward && from.x + from.w >= to.x {
        let (x1, x2) = (from.x, to.x);
        let k = ((x2 - x1).abs() / 2.0).clamp(40.0, 160.0);
        return bezier([x1, y1], [x1 - k, y1], [x2 - k, y2], [x2, y2]);
    }
    let (x1, x2) = if leftward {
        (from.x, to.x + to.w)
    } else {
        (from.x + from.w, to.x)
    };
    let layer_of = |b: &Boxed| {
        layers
            .iter()
            .find(|l| l.part == b.part && l.left <= b.x && b.x + b.w <= l.right)
    };
    // The points, each reached by a straight line (true) or a curve.
    let mut points: Vec<([f64; 2], bool)> = vec![([x1, y1], true)];
    if let (Some(own), Some(theirs)) = (layer_of(from), layer_of(to)) {
        let (out_x, in_x) = if leftward {
            (own.left, theirs.right)
        } else {
            (own.right, theirs.left)
        };
        points.push(([out_x, y1], true));
        let mut between: Vec<&Layer> = layers
            .iter()
            .filter(|l| {
                l.part == from.part
                    && if leftward {
                        l.right < out_x && l.left > in_x
                    } else {
                        l.left > out_x && l.right < in_x
                    }
            })
            .collect();
        between.sort_by(|a, b| {
            if leftward {
                b.left.total_cmp(&a.left)
            } else {
                a.left.total_cmp(&b.left)
            }
        });
        for layer in between {
            let (enter, leave) = if leftward {
                (layer.right, layer.left)
            } else {
                (layer.left, layer.right)
            };
            let t = (enter - x1) / (x2 - x1);
            let y = gap(layer, y1 + (y2 - y1) * t);
            points.push(([enter, y], false));
            points.push(([leave, y], true));
        }
        points.push(([in_x, y2], false));
    }
    points.push((
        [x2, y2],
        points.len() > 1 && points[points.len() - 1].0[1] == y2,
    ));
    let mut d = format!("M{:.1},{:.1}", points[0].0[0], points[0].0[1]);
    let (mut lo_x, mut lo_y, mut hi_x, mut hi_y) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    let mut prev = points[0].0;
    for (p, straight) in &points {
        lo_x = lo_x.min(p[0]);
        lo_y = lo_y.min(p[1]);
        hi_x = hi_x.max(p[0]);
        hi_y = hi_y.max(p[1]);
        if *p == prev {
            continue;
        }
        if *straight {
            d.push_str(&format!(" L{:.1},{:.1}", p[0], p[1]));
        } else {
            let mid = (prev[0] + p[0]) / 2.0;
            d.push_str(&format!(
                " C{mid:.1},{:.1} {mid:.1},{:.1} {:.1},{:.1}",
                prev[1], p[1], p[0], p[1]
            ));
        }
        prev = *p;
    }
    (d, [lo_x, lo_y, hi_x, hi_y])
}

/// A cubic curve's path, and the box around its four points (which holds
/// the curve).
fn bezier(a: [f64; 2], b: [f64; 2], c: [f64; 2], d: [f64; 2]) -> (String, [f64; 4]) {
    let xs = [a[0], b[0], c[0], d[0]];
    let ys = [a[1], b[1], c[1], d[1]];
    let min = |v: [f64; 4]| v.into_iter().fold(f64::MAX, f64::min);
    let max = |v: [f64; 4]| v.into_iter().fold(f64::MIN, f64::max);
    (
        format!(
            "M{:.1},{:.1} C{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}",
            a[0], a[1], b[0], b[1], c[0], c[1], d[0], d[1]
        ),
        [min(xs), min(ys), max(xs), max(ys)],
    )
}

fn text_style(mark: Option<&Mark>) -> String {
    match mark {
        None => String::new(),
        Some(Mark::Dropped) => format!(
            " fill=\"{}\" text-decoration=\"line-through\"",
            fill(mark).1
        ),
        Some(m) => format!(" fill=\"{}\"", fill(Some(m)).1),
    }
}

impl Diagram {
    /// The diagram as an SVG picture that needs nothing installed to make:
    /// table boxes (a header, a row per column with its key markers and
    /// type, and the constraint and index names), placed in layers with
    /// referred tables above the tables that refer to them; foreign keys
    /// as curves from column row to column row, dashed when deferred, with
    /// a hollow circle at the referring end when the key is optional.
    pub fn svg(&self) -> String {
        let mut boxes: Vec<Boxed> = self.entities.iter().map(measure).collect();
        let (width, height) = if boxes.is_empty() {
            (2.0 * MARGIN, 2.0 * MARGIN)
        } else {
            place(self, &mut boxes)
        };
        let columns = layers(&boxes);
        let curves: Vec<(String, [f64; 4])> = self
            .links
            .iter()
            .map(|l| curve(&boxes[l.from], &boxes[l.to], l, &columns))
            .collect();
        // Curves may bow out past the boxes: the picture takes them in.
        let (mut x0, mut y0, mut x1, mut y1) = (0.0f64, 0.0f64, width, height);
        for (_, b) in &curves {
            x0 = x0.min(b[0] - MARGIN);
            y0 = y0.min(b[1] - MARGIN);
            x1 = x1.max(b[2] + MARGIN);
            y1 = y1.max(b[3] + MARGIN);
        }
        let (x0, y0) = (x0.floor(), y0.floor());
        let (w, h) = ((x1 - x0).ceil(), (y1 - y0).ceil());
        let mut out = String::with_capacity(512 + self.entities.len() * 1024);
        out.push_str(&format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w:.0}\" height=\"{h:.0}\" \
             viewBox=\"{x0:.0} {y0:.0} {w:.0} {h:.0}\" font-family=\"DejaVu Sans Mono, Menlo, \
             Consolas, monospace\" font-size=\"{FONT}\">\n"
        ));
        out.push_str(
            "<defs>\
             <marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" \
             markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" \
             fill=\"#555\"/></marker>\
             <marker id=\"ring\" viewBox=\"0 0 10 10\" refX=\"0\" refY=\"5\" markerWidth=\"8\" \
             markerHeight=\"8\" orient=\"auto\"><circle cx=\"5\" cy=\"5\" r=\"4\" fill=\"#fff\" \
             stroke=\"#555\" stroke-width=\"1.2\"/></marker>\
             </defs>\n",
        );
        out.push_str(&format!(
            "<rect x=\"{x0:.0}\" y=\"{y0:.0}\" width=\"{w:.0}\" height=\"{h:.0}\" fill=\"#ffffff\"/>\n"
        ));
        // The curves under the boxes.
        out.push_str("<g fill=\"none\" stroke=\"#555\" stroke-width=\"1.2\">\n");
        for (l, (path, _)) in self.links.iter().zip(&curves) {
            let mut attrs = String::from(" marker-end=\"url(#arrow)\"");
            if l.optional {
                attrs.push_str(" marker-start=\"url(#ring)\"");
            }
            if l.deferred {
                attrs.push_str(" stroke-dasharray=\"6,4\"");
            }
            if let Some(m) = &l.mark {
                attrs.push_str(&format!(" stroke=\"{}\"", fill(Some(m)).1));
            }
            let title = l.name.as_deref().map(xml).unwrap_or_default();
            out.push_str(&format!(
                "<path d=\"{path}\"{attrs}><title>{title}</title></path>\n"
            ));
        }
        out.push_str("</g>\n");
        for (e, b) in self.entities.iter().zip(&boxes) {
            let (bg, ink) = fill(e.mark.as_ref());
            out.push_str(&format!(
                "<g transform=\"translate({:.1},{:.1})\">\n",
                b.x, b.y
            ));
            out.push_str(&format!(
                "<rect width=\"{:.0}\" height=\"{:.0}\" rx=\"3\" fill=\"#ffffff\" stroke=\"#6b7785\"/>\n\
                 <rect width=\"{:.0}\" height=\"{HEADER}\" rx=\"3\" fill=\"{bg}\" stroke=\"#6b7785\"/>\n",
                b.w, b.h, b.w
            ));
            let title = format!(
                "{}{}{}",
                sign(e.mark.as_ref()),
                e.full_name(),
                was(e.mark.as_ref())
            );
            out.push_str(&format!(
                "<text x=\"{PAD}\" y=\"{:.1}\" font-weight=\"bold\" fill=\"{ink}\">{}</text>\n",
                HEADER / 2.0 + FONT * 0.35,
                xml(&title)
            ));
            for (ci, c) in e.columns.iter().enumerate() {
                let y = HEADER + ci as f64 * ROW + ROW / 2.0 + FONT * 0.35;
                let style = text_style(c.mark.as_ref());
                let markers = c.markers().join(" ");
                if !markers.is_empty() {
                    out.push_str(&format!(
                        "<text x=\"{PAD}\" y=\"{y:.1}\" fill=\"#7a4b00\">{markers}</text>\n"
                    ));
                }
                let name = column_name(e, ci);
                let underline = if c.pk && c.mark.is_none() {
                    " text-decoration=\"underline\""
                } else {
                    ""
                };
                out.push_str(&format!(
                    "<text x=\"{:.1}\" y=\"{y:.1}\"{style}{underline}>{}</text>\n",
                    PAD + b.key_w,
                    xml(&name)
                ));
                let type_style = if c.mark.is_none() {
                    " fill=\"#555\""
                } else {
                    style.as_str()
                };
                out.push_str(&format!(
                    "<text x=\"{:.1}\" y=\"{y:.1}\"{type_style}>{}</text>\n",
                    PAD + b.key_w + b.name_w + 2.0 * PAD,
                    xml(&column_type(e, ci))
                ));
            }
            if !b.lines.is_empty() {
                let top = HEADER + e.columns.len() as f64 * ROW + 2.0;
                out.push_str(&format!(
                    "<line x1=\"0\" y1=\"{top:.1}\" x2=\"{:.0}\" y2=\"{top:.1}\" stroke=\"#c3cad3\"/>\n",
                    b.w
                ));
                for (li, (line, mark)) in b.lines.iter().enumerate() {
                    let y = top + 2.0 + li as f64 * SMALL_ROW + SMALL_ROW / 2.0 + SMALL * 0.35;
                    let style = match mark {
                        None => " fill=\"#4a5562\"".to_owned(),
                        m => text_style(m.as_ref()),
                    };
                    out.push_str(&format!(
                        "<text x=\"{PAD}\" y=\"{y:.1}\" font-size=\"{SMALL}\"{style}>{}</text>\n",
                        xml(line)
                    ));
                }
            }
            out.push_str("</g>\n");
        }
        out.push_str("</svg>\n");
        out
    }
}
