//! `corpuslint report`: one self-contained HTML page that shows what a
//! corpus contains. It is a view of the same findings `check` gives (its
//! counts are those of `check --statistics`), gathered as the documents go
//! by in input order, so the page is the same whatever the thread count.
//! Its size does not grow with the corpus: the samples per rule and the
//! worst documents are capped, and everything else is a count.
//!
//! The page is written with maud, which escapes every string it is given:
//! corpus text cannot become markup. Charts are inline SVG drawn here; the
//! only script sorts and filters the rule table, and the page reads the
//! same without it.

use super::{Reporter, Summary};
use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::Document;
use crate::fix::{self, Applicability};
use crate::rules::Rule;
use crate::text::LineIndex;
use maud::{DOCTYPE, Markup, PreEscaped, html};
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::Arc;
use termcolor::WriteColor;

/// What the page shows beyond the counts.
#[derive(Debug, Clone)]
pub struct HtmlOptions {
    /// Where the page is written (through a temporary file beside it).
    pub output: PathBuf,
    /// Samples shown per rule, each from another document.
    pub samples: usize,
    /// Documents listed as the worst.
    pub worst: usize,
    /// The filter policy's boilerplate-share threshold, marked on the
    /// histogram when set.
    pub max_boilerplate_share: Option<f64>,
    /// The inputs, as given on the command line.
    pub inputs: Vec<String>,
    /// The one line that differs between two runs over the same input.
    pub generated: String,
}

/// Characters of context on each side of a sample's span.
const CONTEXT_CHARS: usize = 90;
/// Characters of a worst document shown.
const WORST_CHARS: usize = 700;
/// Upper edges of the finding-density buckets, in findings per KB.
const DENSITY_EDGES: [f64; 7] = [0.0, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0];

#[derive(Default)]
struct RuleRow {
    findings: usize,
    documents: usize,
    safe: usize,
    unsafe_: usize,
    /// The severity findings were reported with (the last one seen, when
    /// overrides differ by path).
    severity: Option<Severity>,
    /// The lowest-ranked documents' samples, at most `samples`, by rank.
    samples: Vec<Sample>,
}

struct Sample {
    rank: u64,
    order: usize,
    place: String,
    message: String,
    line: usize,
    column: usize,
    /// The text around the finding: before, the span, after; `…` where cut.
    before: String,
    span: String,
    after: String,
    /// The same stretch with the fix applied, as kept, deleted and
    /// inserted pieces, and whether the fix is safe.
    fix: Option<(Vec<(Piece, String)>, Applicability)>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Piece {
    Kept,
    Deleted,
    Inserted,
}

struct Worst {
    density: f64,
    place: String,
    findings: usize,
    bytes: usize,
    /// The start of the text, in pieces, the flagged ones marked.
    pieces: Vec<(String, bool)>,
}

pub struct HtmlReport {
    opts: HtmlOptions,
    rules: BTreeMap<Arc<str>, Arc<Rule>>,
    documents: usize,
    lines: usize,
    bytes: u64,
    by_severity: [usize; 3],
    documents_with_error: usize,
    documents_with_findings: usize,
    fix_safe_bytes: u64,
    fix_unsafe_bytes: u64,
    languages: BTreeMap<String, usize>,
    per_rule: BTreeMap<String, RuleRow>,
    share_histogram: [usize; 10],
    density_histogram: [usize; DENSITY_EDGES.len() + 1],
    worst: Vec<Worst>,
    failed: Vec<String>,
    errors: Vec<String>,
    /// The share `structure/boilerplate-share` reports from.
    share_threshold: Option<f64>,
    boilerplate_rules: Vec<String>,
}

impl HtmlReport {
    pub fn new<'a>(opts: HtmlOptions, rules: impl IntoIterator<Item = &'a Arc<Rule>>) -> Self {
        let rules: BTreeMap<Arc<str>, Arc<Rule>> = rules
            .into_iter()
            .map(|r| (r.id.clone(), r.clone()))
            .collect();
        let share_threshold = rules.get("structure/boilerplate-share").map(|r| {
            r.options
                .get("share")
                .and_then(|v| v.as_float())
                .unwrap_or(0.3)
        });
        HtmlReport {
            opts,
            rules,
            documents: 0,
            lines: 0,
            bytes: 0,
            by_severity: [0; 3],
            documents_with_error: 0,
            documents_with_findings: 0,
            fix_safe_bytes: 0,
            fix_unsafe_bytes: 0,
            languages: BTreeMap::new(),
            per_rule: BTreeMap::new(),
            share_histogram: [0; 10],
            density_histogram: [0; DENSITY_EDGES.len() + 1],
            worst: Vec::new(),
            failed: Vec::new(),
            errors: Vec::new(),
            share_threshold,
            boilerplate_rules: crate::filter::Policy::default().boilerplate_rules,
        }
    }

    /// The page, as it will be written.
    pub fn render(&self, summary: &Summary) -> String {
        page(self, summary).into_string()
    }
}

/// FNV-1a: a sample's rank, the same on every machine and run.
fn rank(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in part.as_bytes().iter().chain(&[0xff]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// Where a document is: its path, and for a record its number and id.
fn place(doc: &Document) -> String {
    match (&doc.record, &doc.doc_id) {
        (Some(n), Some(serde_json::Value::String(id))) => {
            format!("{} record {n} (id {id})", doc.path)
        }
        (Some(n), Some(id)) => format!("{} record {n} (id {id})", doc.path),
        (Some(n), None) => format!("{} record {n}", doc.path),
        _ => doc.path.clone(),
    }
}

/// Where `text[..at]`'s last `chars` characters start.
fn back(text: &str, at: usize, chars: usize) -> usize {
    text[..at]
        .char_indices()
        .rev()
        .nth(chars.saturating_sub(1))
        .map_or(0, |(i, _)| i)
}

/// Where `text[at..]`'s first `chars` characters end.
fn forth(text: &str, at: usize, chars: usize) -> usize {
    text[at..]
        .char_indices()
        .nth(chars)
        .map_or(text.len(), |(i, _)| at + i)
}

fn sample(doc: &Document, lines: &LineIndex, d: &Diagnostic, rank: u64, order: usize) -> Sample {
    let text = &doc.text;
    let span = d.span.start.min(text.len())..d.span.end.min(text.len());
    let line = lines.line_of(span.start);
    let content = lines.content(text, line);
    // The line around the span, cut to some context; a span over several
    // lines shows whole, up to a cut in its middle.
    let start = back(text, span.start, CONTEXT_CHARS).max(content.start.min(span.start));
    let line_end = if span.end <= content.end {
        content.end
    } else {
        span.end
    };
    let end = forth(text, span.end, CONTEXT_CHARS).min(line_end);
    let shown_end = forth(text, span.start, 3 * CONTEXT_CHARS).min(span.end);
    let cut = |cut_here: bool, s: &str| {
        if cut_here {
            format!("…{s}")
        } else {
            s.to_string()
        }
    };
    let before = cut(start > content.start, &text[start..span.start]);
    let mut shown = text[span.start..shown_end].to_string();
    if shown_end < span.end {
        shown.push('…');
    }
    let mut after = text[span.end..end].to_string();
    if end < line_end {
        after.push('…');
    }
    let fix = d.fix.as_ref().map(|f| {
        // The fix's edits inside the stretch shown; a line break it also
        // removes lies outside.
        let mut edits: Vec<&fix::Edit> = f
            .edits
            .iter()
            .filter(|e| e.range.end >= start && e.range.start <= end)
            .collect();
        edits.sort_by_key(|e| e.range.start);
        let mut pieces = Vec::new();
        let mut pos = start;
        for e in edits {
            let from = e.range.start.max(pos);
            let to = e.range.end.min(end).max(from);
            if from > pos {
                pieces.push((Piece::Kept, text[pos..from].to_string()));
            }
            if to > from {
                pieces.push((Piece::Deleted, text[from..to].to_string()));
            }
            if !e.replacement.is_empty() {
                pieces.push((Piece::Inserted, e.replacement.clone()));
            }
            pos = to;
        }
        if end > pos {
            pieces.push((Piece::Kept, text[pos..end].to_string()));
        }
        (pieces, f.applicability)
    });
    Sample {
        rank,
        order,
        place: place(doc),
        message: d.message.clone(),
        line: line + 1,
        column: text[content.start.min(span.start)..span.start]
            .chars()
            .count()
            + 1,
        before,
        span: shown,
        after,
        fix,
    }
}

/// The bytes the fixes of `diagnostics` allowed by `unsafe_fixes` remove
/// from `text` in one pass.
fn removed_by_fixes(text: &str, diagnostics: &[Diagnostic], unsafe_fixes: bool) -> u64 {
    let fixes: Vec<&fix::Fix> = diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| f.allowed(unsafe_fixes))
        .collect();
    if fixes.is_empty() {
        return 0;
    }
    let (fixed, _) = fix::apply_indexed(text, &fixes);
    text.len().saturating_sub(fixed.len()) as u64
}

fn severity_index(s: Severity) -> usize {
    match s {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    }
}

impl Reporter for HtmlReport {
    fn document(&mut self, _: &mut dyn WriteColor, doc: &Document) -> io::Result<()> {
        let order = self.documents;
        self.documents += 1;
        let lines = LineIndex::new(&doc.text);
        self.lines += lines.count();
        self.bytes += doc.text.len() as u64;
        *self
            .languages
            .entry(doc.lang.clone().unwrap_or_else(|| "unknown".into()))
            .or_default() += 1;
        if !doc.diagnostics.is_empty() {
            self.documents_with_findings += 1;
        }
        if doc
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
        {
            self.documents_with_error += 1;
        }
        let safe = removed_by_fixes(&doc.text, &doc.diagnostics, false);
        let all = removed_by_fixes(&doc.text, &doc.diagnostics, true);
        self.fix_safe_bytes += safe;
        self.fix_unsafe_bytes += all.saturating_sub(safe);
        let place = place(doc);
        let mut seen: Vec<&str> = Vec::new();
        for d in &doc.diagnostics {
            self.by_severity[severity_index(d.severity)] += 1;
            let row = self.per_rule.entry(d.rule.to_string()).or_default();
            row.findings += 1;
            row.severity = Some(d.severity);
            match d.fix.as_ref().map(|f| f.applicability) {
                Some(Applicability::Safe) => row.safe += 1,
                Some(Applicability::Unsafe) => row.unsafe_ += 1,
                None => {}
            }
            if seen.contains(&&*d.rule) {
                continue;
            }
            seen.push(&d.rule);
            row.documents += 1;
            // One sample per document: its first finding of the rule, kept
            // when the document ranks among the lowest.
            let r = rank(&[&place, &d.rule]);
            let full = row.samples.len() >= self.opts.samples;
            if self.opts.samples == 0 || full && row.samples.last().is_some_and(|s| s.rank <= r) {
                continue;
            }
            let s = sample(doc, &lines, d, r, order);
            let at = row
                .samples
                .partition_point(|k| (k.rank, k.order) <= (r, order));
            row.samples.insert(at, s);
            row.samples.truncate(self.opts.samples);
        }
        let (hits, non_empty) = crate::filter::boilerplate_lines(
            &doc.text,
            &lines,
            &doc.diagnostics,
            &self.boilerplate_rules,
        );
        let share = if non_empty == 0 {
            0.0
        } else {
            hits as f64 / non_empty as f64
        };
        self.share_histogram[((share * 10.0) as usize).min(9)] += 1;
        let kb = doc.text.len() as f64 / 1000.0;
        let density = doc.diagnostics.len() as f64 / kb.max(1.0);
        let bucket = DENSITY_EDGES
            .iter()
            .position(|&edge| density <= edge)
            .unwrap_or(DENSITY_EDGES.len());
        self.density_histogram[bucket] += 1;
        let worse = |w: &Worst| w.density >= density;
        if !doc.diagnostics.is_empty()
            && self.opts.worst > 0
            && (self.worst.len() < self.opts.worst || !self.worst.iter().all(worse))
        {
            let at = self.worst.partition_point(worse);
            self.worst.insert(
                at,
                Worst {
                    density,
                    place,
                    findings: doc.diagnostics.len(),
                    bytes: doc.text.len(),
                    pieces: pieces(&doc.text, &doc.diagnostics),
                },
            );
            self.worst.truncate(self.opts.worst);
        }
        Ok(())
    }

    fn input_failed(&mut self, input: &str) {
        if !self.failed.iter().any(|f| f == input) {
            self.failed.push(input.to_string());
        }
    }

    fn finish(&mut self, out: &mut dyn WriteColor, summary: &Summary) -> io::Result<()> {
        let page = self.render(summary);
        let path = &self.opts.output;
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let written = tempfile::NamedTempFile::new_in(&dir).and_then(|mut tmp| {
            tmp.write_all(page.as_bytes())?;
            // A page to share: readable by others, as a file written the
            // usual way would be (the temporary file is private).
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                tmp.as_file()
                    .set_permissions(std::fs::Permissions::from_mode(0o644))?;
            }
            tmp.as_file().sync_all()?;
            tmp.persist(path).map_err(|e| e.error)?;
            Ok(())
        });
        match written {
            Ok(()) => writeln!(
                out,
                "{}\nwrote {} ({} KB)",
                summary.line(),
                path.display(),
                page.len().div_ceil(1000)
            ),
            Err(e) => {
                self.errors
                    .push(format!("{}: cannot write the report: {e}", path.display()));
                writeln!(out, "{}", summary.line())
            }
        }
    }

    fn errors(&self) -> Vec<String> {
        self.errors.clone()
    }
}

/// The start of `text` in pieces, those inside a finding's span marked.
fn pieces(text: &str, diagnostics: &[Diagnostic]) -> Vec<(String, bool)> {
    let end = text
        .char_indices()
        .nth(WORST_CHARS)
        .map_or(text.len(), |(i, _)| i);
    let mut spans: Vec<(usize, usize)> = diagnostics
        .iter()
        .filter(|d| !d.whole_document && d.span.start < end)
        .map(|d| (d.span.start, d.span.end.min(end)))
        .collect();
    spans.sort_unstable();
    let mut out = Vec::new();
    let mut pos = 0;
    for (start, stop) in spans {
        let start = start.max(pos);
        if stop <= start {
            continue;
        }
        if start > pos {
            out.push((text[pos..start].to_string(), false));
        }
        out.push((text[start..stop].to_string(), true));
        pos = stop;
    }
    if pos < end {
        out.push((text[pos..end].to_string(), false));
    }
    if end < text.len() {
        out.push(("…".to_string(), false));
    }
    out
}

/// An HTML id for a rule: `rule-boilerplate-cookie-notice`.
fn anchor(prefix: &str, id: &str) -> String {
    let slug: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("{prefix}-{slug}")
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        "0%".into()
    } else {
        format!("{:.1}%", part as f64 * 100.0 / whole as f64)
    }
}

/// A horizontal bar chart: per row a label (linked), and one bar per
/// series, scaled to the largest value.
struct Bars<'a> {
    title: &'a str,
    series: [&'a str; 2],
    rows: Vec<(String, String, [usize; 2])>, // (label, href, values)
    class: &'a str,
}

const CHART_WIDTH: usize = 760;
const LABEL_WIDTH: usize = 280;
const ROW_HEIGHT: usize = 26;

fn bars(chart: &Bars<'_>) -> Markup {
    let max = chart
        .rows
        .iter()
        .flat_map(|(_, _, v)| v.iter().copied())
        .max()
        .unwrap_or(0)
        .max(1);
    let plot = CHART_WIDTH - LABEL_WIDTH - 70;
    let top = 46;
    let height = top + chart.rows.len() * ROW_HEIGHT + 34;
    let step = nice_step(max);
    let axis_max = max.div_ceil(step) * step;
    let scale = |v: usize| (v as f64 * plot as f64 / axis_max as f64).round() as usize;
    let ticks: Vec<usize> = (0..=axis_max / step).map(|i| i * step).collect();
    html! {
        svg class="chart" role="img" viewBox={"0 0 " (CHART_WIDTH) " " (height)}
            width=(CHART_WIDTH) height=(height) xmlns="http://www.w3.org/2000/svg" {
            title { (chart.title) }
            text x="0" y="18" class="chart-title" { (chart.title) }
            rect x=(LABEL_WIDTH) y="28" width="12" height="10" class="bar-0" {}
            text x=(LABEL_WIDTH + 16) y="37" class="legend" { (chart.series[0]) }
            rect x=(LABEL_WIDTH + 140) y="28" width="12" height="10" class="bar-1" {}
            text x=(LABEL_WIDTH + 156) y="37" class="legend" { (chart.series[1]) }
            @for (i, (label, href, values)) in chart.rows.iter().enumerate() {
                @let y = top + i * ROW_HEIGHT;
                a href=(href) {
                    text x=(LABEL_WIDTH - 8) y=(y + 15) text-anchor="end" class="label" { (label) }
                    rect x=(LABEL_WIDTH) y=(y + 3) width=(scale(values[0]).max(1)) height="9"
                        class={"bar-0 " (chart.class) "-findings"} data-rule=(label) {
                        title { (label) ": " (values[0]) " " (chart.series[0]) }
                    }
                    rect x=(LABEL_WIDTH) y=(y + 13) width=(scale(values[1]).max(1)) height="9"
                        class={"bar-1 " (chart.class) "-documents"} {
                        title { (label) ": " (values[1]) " " (chart.series[1]) }
                    }
                    text x=(LABEL_WIDTH + scale(values[0]).max(1) + 4) y=(y + 11) class="value" { (values[0]) }
                }
            }
            @let axis = top + chart.rows.len() * ROW_HEIGHT + 4;
            line x1=(LABEL_WIDTH) y1=(top) x2=(LABEL_WIDTH) y2=(axis) class="axis" {}
            line x1=(LABEL_WIDTH) y1=(axis) x2=(LABEL_WIDTH + plot) y2=(axis) class="axis" {}
            @for t in &ticks {
                text x=(LABEL_WIDTH + scale(*t)) y=(axis + 16) text-anchor="middle" class="tick" { (t) }
            }
            text x=(LABEL_WIDTH + plot / 2) y=(axis + 30) text-anchor="middle" class="axis-label" { "count" }
        }
    }
}

/// The smallest of 1, 2, 5, 10, 20, 50, ... that splits `0..=max` into at
/// most five steps: round tick values.
fn nice_step(max: usize) -> usize {
    let mut unit = 1usize;
    loop {
        for m in [1, 2, 5] {
            let step = unit.saturating_mul(m);
            if max.div_ceil(step) <= 5 {
                return step;
            }
        }
        unit = unit.saturating_mul(10);
    }
}

/// A vertical histogram of documents per bucket, with an optional marker.
fn histogram(
    title: &str,
    x_label: &str,
    buckets: &[(String, usize)],
    markers: &[(f64, String)],
) -> Markup {
    let width = 620usize;
    let height = 250usize;
    let (left, bottom, top) = (56usize, 50usize, 34usize);
    let plot_w = width - left - 20;
    let plot_h = height - bottom - top;
    let max = buckets.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let slot = plot_w / buckets.len().max(1);
    let y_of = |n: usize| top + plot_h - (n as f64 * plot_h as f64 / max as f64).round() as usize;
    html! {
        svg class="chart" role="img" viewBox={"0 0 " (width) " " (height)} width=(width) height=(height)
            xmlns="http://www.w3.org/2000/svg" {
            title { (title) }
            text x="0" y="18" class="chart-title" { (title) }
            @for (i, (label, n)) in buckets.iter().enumerate() {
                @let x = left + i * slot;
                rect x=(x + 3) y=(y_of(*n)) width=(slot - 6) height=(top + plot_h - y_of(*n)) class="bar-0 hist-bar" {
                    title { (label) ": " (n) " documents" }
                }
                text x=(x + slot / 2) y=(top + plot_h + 16) text-anchor="middle" class="tick" { (label) }
            }
            @for (i, (at, note)) in markers.iter().enumerate() {
                @let x = left + (at.clamp(0.0, 1.0) * plot_w as f64).round() as usize;
                line x1=(x) y1=(top - 4) x2=(x) y2=(top + plot_h) class="marker" {}
                text x=(x + 4) y=(top + 8 + 14 * i) class="marker-label" { (note) }
            }
            line x1=(left) y1=(top) x2=(left) y2=(top + plot_h) class="axis" {}
            line x1=(left) y1=(top + plot_h) x2=(left + plot_w) y2=(top + plot_h) class="axis" {}
            text x=(left - 6) y=(top + 4) text-anchor="end" class="tick" { (max) }
            text x=(left - 6) y=(top + plot_h) text-anchor="end" class="tick" { "0" }
            text x=(left + plot_w / 2) y=(height - 8) text-anchor="middle" class="axis-label" { (x_label) }
            text x="14" y=(top + plot_h / 2) text-anchor="middle" class="axis-label"
                transform={"rotate(-90 14 " (top + plot_h / 2) ")"} { "documents" }
        }
    }
}

fn severity_name(s: Option<Severity>) -> &'static str {
    match s {
        Some(Severity::Error) => "error",
        Some(Severity::Warning) => "warning",
        Some(Severity::Info) => "info",
        None => "",
    }
}

fn page(r: &HtmlReport, summary: &Summary) -> Markup {
    let mut rules: Vec<(&String, &RuleRow)> = r.per_rule.iter().collect();
    rules.sort_by(|a, b| b.1.findings.cmp(&a.1.findings).then(a.0.cmp(b.0)));
    let mut categories: BTreeMap<&str, [usize; 2]> = BTreeMap::new();
    for (id, row) in &r.per_rule {
        let c = categories
            .entry(id.split('/').next().unwrap_or(id))
            .or_default();
        c[0] += row.findings;
        c[1] += row.documents;
    }
    let mut categories: Vec<(&str, [usize; 2])> = categories.into_iter().collect();
    categories.sort_by(|a, b| b.1[0].cmp(&a.1[0]).then(a.0.cmp(b.0)));
    let rule_chart = Bars {
        title: "Findings and documents affected, per rule",
        series: ["findings", "documents"],
        rows: rules
            .iter()
            .map(|(id, row)| {
                (
                    (*id).clone(),
                    format!("#{}", anchor("rule", id)),
                    [row.findings, row.documents],
                )
            })
            .collect(),
        class: "rule",
    };
    let category_chart = Bars {
        title: "Findings and documents affected, per category",
        series: ["findings", "documents"],
        rows: categories
            .iter()
            .map(|(c, v)| (c.to_string(), format!("#{}", anchor("category", c)), *v))
            .collect(),
        class: "category",
    };
    let share_buckets: Vec<(String, usize)> = r
        .share_histogram
        .iter()
        .enumerate()
        .map(|(i, n)| (format!("{}–{}%", i * 10, i * 10 + 10), *n))
        .collect();
    let mut density_buckets: Vec<(String, usize)> = Vec::new();
    for (i, n) in r.density_histogram.iter().enumerate() {
        let label = match i {
            0 => "0".to_string(),
            i if i < DENSITY_EDGES.len() => format!("≤{}", DENSITY_EDGES[i]),
            _ => format!(">{}", DENSITY_EDGES[DENSITY_EDGES.len() - 1]),
        };
        density_buckets.push((label, *n));
    }
    let share_markers: Vec<(f64, String)> = r
        .share_threshold
        .map(|s| {
            (
                s,
                format!("boilerplate-share reports from {:.0}%", s * 100.0),
            )
        })
        .into_iter()
        .chain(
            r.opts
                .max_boilerplate_share
                .map(|s| (s, format!("filter drops above {:.0}%", s * 100.0))),
        )
        .collect();
    let mut by_category: BTreeMap<&str, Vec<(&String, &RuleRow)>> = BTreeMap::new();
    for (id, row) in &rules {
        by_category
            .entry(id.split('/').next().unwrap_or(id))
            .or_default()
            .push((id, row));
    }
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "corpuslint report" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header {
                    h1 { "corpuslint report" }
                    p class="inputs" { "Inputs: " @for (i, p) in r.opts.inputs.iter().enumerate() { @if i > 0 { ", " } code { (p) } } }
                    p class="generated" { (r.opts.generated) }
                    nav {
                        a href="#overview" { "Overview" } " · "
                        a href="#charts" { "Rules at a glance" } " · "
                        a href="#shape" { "Shape of the corpus" } " · "
                        a href="#rules" { "Rules" } " · "
                        a href="#worst" { "Worst documents" } " · "
                        a href="#table" { "Table" }
                    }
                }
                section id="overview" {
                    h2 { "Overview" }
                    table class="overview" {
                        tr { th { "documents" } td { (thousands(r.documents as u64)) } }
                        tr { th { "inputs" } td { (thousands(summary.files as u64)) } }
                        tr { th { "lines" } td { (thousands(r.lines as u64)) } }
                        tr { th { "bytes" } td { (thousands(r.bytes)) } }
                        tr { th { "findings" } td {
                            (thousands(r.by_severity.iter().sum::<usize>() as u64)) ": "
                            span class="sev-error" { (r.by_severity[0]) " errors" } ", "
                            span class="sev-warning" { (r.by_severity[1]) " warnings" } ", "
                            span class="sev-info" { (r.by_severity[2]) " infos" }
                        } }
                        tr { th { "documents with an error" } td { (r.documents_with_error) " (" (percent(r.documents_with_error, r.documents)) ")" } }
                        tr { th { "documents with findings" } td { (r.documents_with_findings) " (" (percent(r.documents_with_findings, r.documents)) ")" } }
                        tr { th { "bytes " code { "--fix" } " would remove" } td { (thousands(r.fix_safe_bytes)) " (" (percent(r.fix_safe_bytes as usize, r.bytes as usize)) ", one pass of the safe fixes)" } }
                        tr { th { "and " code { "--unsafe-fixes" } " in addition" } td { (thousands(r.fix_unsafe_bytes)) " (" (percent(r.fix_unsafe_bytes as usize, r.bytes as usize)) ")" } }
                        tr { th { "languages detected" } td {
                            @for (i, (lang, n)) in r.languages.iter().enumerate() { @if i > 0 { ", " } (lang) " " (n) }
                        } }
                        @if !r.failed.is_empty() {
                            tr class="failed" { th { "inputs not read whole" } td { @for (i, f) in r.failed.iter().enumerate() { @if i > 0 { ", " } code { (f) } } } }
                        }
                    }
                }
                section id="charts" {
                    h2 { "Rules at a glance" }
                    @if rules.is_empty() {
                        p { "No rule fired." }
                    } @else {
                        (bars(&category_chart))
                        (bars(&rule_chart))
                    }
                }
                section id="shape" {
                    h2 { "Shape of the corpus" }
                    (histogram("Documents by boilerplate share", "share of non-empty lines flagged as boilerplate", &share_buckets, &share_markers))
                    (histogram("Documents by finding density", "findings per KB", &density_buckets, &[]))
                }
                section id="rules" {
                    h2 { "Rules" }
                    @for (category, members) in &by_category {
                        h3 id=(anchor("category", category)) { (category) "/" }
                        @for (id, row) in members {
                            @let rule = r.rules.get(id.as_str());
                            article class="rule" id=(anchor("rule", id)) {
                                h4 { code { (id) } " " span class={"sev sev-" (severity_name(row.severity))} { (severity_name(row.severity)) } }
                                p class="counts" {
                                    (row.findings) " findings in " (row.documents) " documents (" (percent(row.documents, r.documents)) "); fixable: "
                                    (row.safe) " safe, " (row.unsafe_) " unsafe"
                                }
                                @if let Some(rule) = rule {
                                    p class="message" { (rule.message.replace("{match}", "…")) }
                                    @if let Some(help) = &rule.help { p class="help" { "help: " (help) } }
                                    @if !rule.docs.trim().is_empty() { details { summary { "about this rule" } pre class="docs" { (rule.docs.trim()) } } }
                                }
                                ol class="samples" {
                                    @for s in &row.samples {
                                        li {
                                            div class="where" { (s.place) ":" (s.line) ":" (s.column) " — " (s.message) }
                                            div class="excerpt" { (s.before) mark class="span" { (s.span) } (s.after) }
                                            @if let Some((pieces, applicability)) = &s.fix {
                                                div class={"excerpt diff fix-" (applicability.as_str())} {
                                                    span class="fix-note" { (applicability.as_str()) " fix: " }
                                                    @for (kind, piece) in pieces {
                                                        @match kind {
                                                            Piece::Kept => { (piece) }
                                                            Piece::Deleted => { del { (piece) } }
                                                            Piece::Inserted => { ins { (piece) } }
                                                        }
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                section id="worst" {
                    h2 { "Worst documents" }
                    p { "By findings per KB (a document under 1 KB counts as 1 KB)." }
                    ol class="worst" {
                        @for w in &r.worst {
                            li {
                                div class="where" { (w.place) " — " (w.findings) " findings in " (thousands(w.bytes as u64)) " bytes (" (format!("{:.1}", w.density)) " per KB)" }
                                div class="excerpt" {
                                    @for (piece, flagged) in &w.pieces {
                                        @if *flagged { mark { (piece) } } @else { (piece) }
                                    }
                                }
                            }
                        }
                    }
                }
                section id="table" {
                    h2 { "All rules that fired" }
                    p class="noprint" { label { "Filter: " input id="rule-filter" type="search" placeholder="rule id"; } " Click a column to sort." }
                    table id="rule-table" class="sortable" {
                        thead { tr {
                            th data-type="text" { "rule" } th data-type="text" { "severity" }
                            th data-type="num" { "findings" } th data-type="num" { "documents" }
                            th data-type="num" { "fixable (safe)" } th data-type="num" { "fixable (unsafe)" }
                        } }
                        tbody {
                            @for (id, row) in &rules {
                                tr {
                                    td { a href={"#" (anchor("rule", id))} { (id) } }
                                    td { (severity_name(row.severity)) }
                                    td class="num" { (row.findings) } td class="num" { (row.documents) }
                                    td class="num" { (row.safe) } td class="num" { (row.unsafe_) }
                                }
                            }
                        }
                    }
                }
                footer { p { "Written by corpuslint " (env!("CARGO_PKG_VERSION")) ". Every count is that of " code { "corpuslint check --statistics" } " on the same input." } }
                script { (PreEscaped(SCRIPT)) }
            }
        }
    }
}

const STYLE: &str = r#"
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1100px; padding: 0 1.2em 3em; color: #1d2430; }
h1 { margin-bottom: .2em; } h2 { border-bottom: 1px solid #ccd; padding-bottom: .2em; margin-top: 2em; }
nav a, a { color: #1f5fa8; }
.generated, .inputs { color: #556; margin: .2em 0; }
table.overview th { text-align: left; font-weight: 500; padding-right: 1.5em; }
.chart { display: block; max-width: 100%; height: auto; margin: 1em 0; }
.chart-title { font-weight: 600; font-size: 14px; }
.label, .value, .tick, .legend, .axis-label, .marker-label { font-size: 12px; fill: #1d2430; }
.bar-0 { fill: #3b74c4; } .bar-1 { fill: #e39b35; }
.axis { stroke: #556; stroke-width: 1; } .marker { stroke: #c33; stroke-dasharray: 4 3; stroke-width: 2; }
.marker-label { fill: #c33; }
article.rule { border-left: 3px solid #ccd; padding-left: .8em; margin: 1.2em 0; }
.sev { font-size: 12px; padding: 0 .4em; border-radius: 3px; color: #fff; }
.sev-error { background: #c33; } .sev-warning { background: #c77a00; } .sev-info { background: #667; }
span.sev-error, span.sev-warning, span.sev-info { color: #fff; padding: 0 .3em; border-radius: 3px; }
.samples li, .worst li { margin: .6em 0; }
.where { font-size: 12px; color: #556; }
.excerpt { font-family: ui-monospace, monospace; font-size: 13px; white-space: pre-wrap; word-break: break-word; background: #f6f7f9; padding: .3em .5em; }
mark { background: #ffe58a; } del { background: #f8d0d0; } ins { background: #c9efc9; text-decoration: none; }
.diff { margin-top: 2px; } .fix-note { font-family: system-ui, sans-serif; font-size: 12px; color: #386b38; }
.fix-unsafe .fix-note { color: #8a5a00; }
pre.docs { white-space: pre-wrap; font-size: 13px; background: #f6f7f9; padding: .5em; }
table.sortable { border-collapse: collapse; } table.sortable th, table.sortable td { border-bottom: 1px solid #dde; padding: .2em .6em; }
table.sortable th { cursor: pointer; text-align: left; } td.num { text-align: right; }
@media print { .noprint, nav { display: none; } details { display: block; } body { max-width: none; } }
"#;

const SCRIPT: &str = r#"
(function () {
  var table = document.getElementById('rule-table');
  if (!table) return;
  var body = table.tBodies[0];
  var heads = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(heads, function (th, col) {
    th.addEventListener('click', function () {
      var num = th.getAttribute('data-type') === 'num';
      var down = th.getAttribute('data-sort') !== 'desc';
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('data-sort'); });
      th.setAttribute('data-sort', down ? 'desc' : 'asc');
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[col].textContent, y = b.cells[col].textContent;
        var c = num ? Number(x) - Number(y) : x.localeCompare(y);
        return down ? -c : c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
  var filter = document.getElementById('rule-filter');
  if (filter) filter.addEventListener('input', function () {
    var q = filter.value.toLowerCase();
    Array.prototype.forEach.call(body.rows, function (r) {
      r.style.display = r.cells[0].textContent.toLowerCase().indexOf(q) >= 0 ? '' : 'none';
    });
  });
})();
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_are_fixed_numbers() {
        assert_eq!(
            rank(&["a.txt", "html/entity"]),
            rank(&["a.txt", "html/entity"])
        );
        assert_ne!(
            rank(&["a.txt", "html/entity"]),
            rank(&["a.tx", "thtml/entity"])
        );
    }

    #[test]
    fn cuts_keep_char_boundaries() {
        assert_eq!(back("äöü", 6, 2), 2);
        assert_eq!(back("äöü", 6, 9), 0);
        assert_eq!(forth("äöü", 0, 2), 4);
        assert_eq!(forth("äöü", 2, 9), 6);
        assert_eq!(
            anchor("rule", "boilerplate/cookie-notice"),
            "rule-boilerplate-cookie-notice"
        );
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(nice_step(7), 2);
        assert_eq!(nice_step(5), 1);
        assert_eq!(nice_step(21), 5);
        assert_eq!(nice_step(1234), 500);
    }
}
