//! Inline SVG charts: horizontal bars for counts by name, columns for histograms.
//!
//! Our own code rather than a plotting crate: these two chart shapes are a few rectangles and
//! text elements each, and labels are escaped like all page text (see [`super::text`]).

use std::fmt::Write as _;

use super::text;

/// Width of every chart, in CSS pixels.
const WIDTH: u32 = 520;

/// Horizontal bars, one per `(label, count)`, longest scaled to the chart width; the count is
/// written at the end of each bar. Empty input gives an empty string.
pub fn bars(rows: &[(String, u64)]) -> String {
    if rows.is_empty() {
        return String::new();
    }
    const ROW: u32 = 22;
    const LABEL: u32 = 190;
    let max = rows.iter().map(|r| r.1).max().unwrap_or(1).max(1);
    let height = ROW * rows.len() as u32 + 4;
    let room = f64::from(WIDTH - LABEL - 70);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{height}\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\">"
    );
    for (i, (name, count)) in rows.iter().enumerate() {
        let y = ROW * i as u32 + 2;
        let width = (room * *count as f64 / max as f64).round().max(1.0);
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"12\">{}</text>\
             <rect x=\"{LABEL}\" y=\"{}\" width=\"{width}\" height=\"{}\" fill=\"#4c78a8\"/>\
             <text x=\"{}\" y=\"{}\" font-size=\"12\">{count}</text>",
            LABEL - 6,
            y + 15,
            text(name),
            y + 3,
            ROW - 6,
            f64::from(LABEL) + width + 4.0,
            y + 15,
        );
    }
    out.push_str("</svg>\n");
    out
}

/// Columns of a histogram: `counts[i]` is the bin named `names[i]` (shown on hover); `axis[i]`,
/// when not empty, is written under its column.
pub fn columns(counts: &[u64], names: &[String], axis: &[String]) -> String {
    if counts.is_empty() {
        return String::new();
    }
    const HEIGHT: u32 = 160;
    const AXIS: u32 = 20;
    const TOP: u32 = 14;
    let max = counts.iter().copied().max().unwrap_or(1).max(1);
    let step = f64::from(WIDTH - 40) / counts.len() as f64;
    let mut out = String::new();
    let total = HEIGHT + AXIS;
    let _ = writeln!(
        out,
        "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{total}\" viewBox=\"0 0 {WIDTH} {total}\" role=\"img\">"
    );
    let _ = writeln!(
        out,
        "<text x=\"4\" y=\"11\" font-size=\"11\" fill=\"#6e6e73\">max {max}</text>\
         <line x1=\"20\" y1=\"{HEIGHT}\" x2=\"{}\" y2=\"{HEIGHT}\" stroke=\"#999\"/>",
        WIDTH - 20
    );
    for (i, &count) in counts.iter().enumerate() {
        let x = 20.0 + step * i as f64;
        let h = f64::from(HEIGHT - TOP) * count as f64 / max as f64;
        let name = names.get(i).map_or("", String::as_str);
        let _ = write!(
            out,
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"#59a14f\"><title>{}: {count}</title></rect>",
            f64::from(HEIGHT) - h,
            (step - 2.0).max(1.0),
            text(name),
        );
        if let Some(tick) = axis.get(i).filter(|t| !t.is_empty()) {
            let _ = write!(
                out,
                "<text x=\"{x:.1}\" y=\"{}\" font-size=\"10\" fill=\"#6e6e73\">{}</text>",
                HEIGHT + 14,
                text(tick)
            );
        }
        out.push('\n');
    }
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_and_escape_labels() {
        let svg = bars(&[("<b>".to_string(), 10), ("b".to_string(), 5)]);
        assert!(svg.contains("&lt;b&gt;"), "{svg}");
        assert!(svg.contains("width=\"260\""), "{svg}");
        assert!(svg.contains("width=\"130\""), "{svg}");
        assert_eq!(bars(&[]), "");
    }

    #[test]
    fn one_column_per_bin() {
        let labels: Vec<String> = (0..4).map(|i| i.to_string()).collect();
        let svg = columns(&[1, 0, 3, 2], &labels, &labels);
        assert_eq!(svg.matches("<rect").count(), 4);
        assert!(svg.contains("max 3"));
    }
}
