//! Diagrams as a Graphviz graph of record-shaped tables.

use super::text::{clip, xml};
use super::{Diagram, Mark};

/// Colours of the marks a migration leaves: header fill and text.
fn colours(mark: Option<&Mark>) -> (&'static str, &'static str) {
    match mark {
        Some(Mark::Added) => ("#d5f5d5", "#1a7f1a"),
        Some(Mark::Dropped) => ("#f8d7d7", "#b22222"),
        Some(Mark::Renamed(_)) => ("#d7e6f8", "#1f5fa8"),
        Some(Mark::Altered) => ("#fbecc8", "#9a6700"),
        None => ("#e8eef6", "#000000"),
    }
}

/// A mark as a prefix: `+`, `−`, `~` or `*`.
pub(crate) fn sign(mark: Option<&Mark>) -> &'static str {
    match mark {
        Some(Mark::Added) => "+ ",
        Some(Mark::Dropped) => "− ",
        Some(Mark::Renamed(_)) => "~ ",
        Some(Mark::Altered) => "* ",
        None => "",
    }
}

/// `(was old)` after a renamed thing's name.
pub(crate) fn was(mark: Option<&Mark>) -> String {
    match mark {
        Some(Mark::Renamed(old)) => format!(" (was {old})"),
        _ => String::new(),
    }
}

/// Text in a mark's colour, struck through when dropped.
fn marked(text: &str, mark: Option<&Mark>) -> String {
    let t = xml(text);
    match mark {
        None => t,
        Some(Mark::Dropped) => format!("<FONT COLOR=\"{}\"><S>{t}</S></FONT>", colours(mark).1),
        Some(m) => format!("<FONT COLOR=\"{}\">{t}</FONT>", colours(Some(m)).1),
    }
}

impl Diagram {
    /// The diagram as a Graphviz `digraph`: each table a record (an
    /// HTML-like table) of its columns — key markers, name, type — and a
    /// compartment of its constraint and index names; each foreign key an
    /// edge from the referring columns' row to the referred columns' row,
    /// dashed when deferred. What a migration does is shown by colour and
    /// a sign (`+` added, `−` dropped, `~` renamed, `*` altered).
    pub fn dot(&self) -> String {
        let mut out = String::from(
            "digraph schema {\n  graph [rankdir=LR, nodesep=0.4, ranksep=1.0, \
             fontname=\"Helvetica\"];\n  node [shape=plaintext, fontname=\"Helvetica\", \
             fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=8, color=\"#555555\", \
             arrowhead=normal, arrowtail=none];\n",
        );
        for (i, e) in self.entities.iter().enumerate() {
            let (fill, ink) = colours(e.mark.as_ref());
            let mut label = String::new();
            label.push_str(
                "<TABLE BORDER=\"0\" CELLBORDER=\"1\" CELLSPACING=\"0\" CELLPADDING=\"3\">",
            );
            label.push_str(&format!(
                "<TR><TD COLSPAN=\"3\" BGCOLOR=\"{fill}\"><FONT COLOR=\"{ink}\"><B>{}{}</B>{}</FONT></TD></TR>",
                xml(sign(e.mark.as_ref())),
                xml(&e.full_name()),
                xml(&was(e.mark.as_ref())),
            ));
            for (ci, c) in e.columns.iter().enumerate() {
                let m = c.mark.as_ref();
                let name = format!("{}{}{}", sign(m), c.name, was(m));
                let name = if c.pk {
                    format!("<U>{}</U>", marked(&name, m))
                } else {
                    marked(&name, m)
                };
                let ty = if c.nullable {
                    c.ty.clone()
                } else {
                    format!("{} not null", c.ty)
                };
                label.push_str(&format!(
                    "<TR><TD ALIGN=\"LEFT\" PORT=\"k{ci}\">{}</TD><TD ALIGN=\"LEFT\">{name}</TD><TD ALIGN=\"LEFT\" PORT=\"c{ci}\">{}</TD></TR>",
                    c.markers().join(" "),
                    marked(&ty, m),
                ));
            }
            if !e.objects.is_empty() {
                let mut names = String::new();
                for x in &e.objects {
                    let m = x.mark.as_ref();
                    let text = format!(
                        "{}{} {} ({}){}",
                        sign(m),
                        x.kind.marker(),
                        if x.name.is_empty() {
                            "(unnamed)"
                        } else {
                            &x.name
                        },
                        clip(&x.detail, 60),
                        was(m)
                    );
                    names.push_str(&marked(&text, m));
                    names.push_str("<BR ALIGN=\"LEFT\"/>");
                }
                label.push_str(&format!(
                    "<TR><TD COLSPAN=\"3\" ALIGN=\"LEFT\" BALIGN=\"LEFT\"><FONT POINT-SIZE=\"8\">{names}</FONT></TD></TR>"
                ));
            }
            label.push_str("</TABLE>");
            out.push_str(&format!("  t{i} [label=<{label}>];\n"));
        }
        for l in &self.links {
            // From the referring column's type cell (the right edge) to the
            // referred column's marker cell (the left edge).
            let from = match l.from_columns.first() {
                Some(c) => format!("t{}:c{c}:e", l.from),
                None => format!("t{}", l.from),
            };
            let to = match l.to_columns.first() {
                Some(c) => format!("t{}:k{c}:w", l.to),
                None => format!("t{}", l.to),
            };
            let mut attrs = Vec::new();
            if let Some(n) = &l.name {
                attrs.push(format!("tooltip=\"{}\"", dot_string(n)));
            }
            if l.deferred {
                attrs.push("style=dashed".to_owned());
            }
            if l.optional {
                attrs.push("arrowtail=odot, dir=both".to_owned());
            }
            if let Some(m) = &l.mark {
                attrs.push(format!("color=\"{}\"", colours(Some(m)).1));
            }
            if attrs.is_empty() {
                out.push_str(&format!("  {from} -> {to};\n"));
            } else {
                out.push_str(&format!("  {from} -> {to} [{}];\n", attrs.join(", ")));
            }
        }
        out.push_str("}\n");
        out
    }
}

/// Text inside a Graphviz double-quoted string.
fn dot_string(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', " ")
}
