import Foundation

extension ReproductionReport {
  /// One table per paper — the paper's figure, ours, their ratio — then the notes the rows point
  /// to and the assumptions that differ from the paper's setting.
  public func renderText() -> String {
    var out: [String] = []
    for p in papers {
      out.append(p.renderText())
      out.append("")
    }
    out.append("\(papers.count) paper\(papers.count == 1 ? "" : "s") in \(formatFigure(wallSeconds)) s")
    return out.joined(separator: "\n")
  }
}

extension PaperComparison {
  public func renderText() -> String {
    var lines = [
      "\(title)\(quick ? "  (--quick)" : "")",
      "  \(citation)",
      "  \(setting)",
      "",
    ]
    var table = TextTable([
      .init("subject"), .init("quantity"), .init("unit"), .init("paper", .right), .init("where"),
      .init("ours", .right), .init("ours/paper", .right), .init("note"),
    ])
    var notes: [String] = []
    var previous: String?
    for f in figures {
      var mark = ""
      if let note = f.note {
        if let i = notes.firstIndex(of: note) {
          mark = "[\(i + 1)]"
        } else {
          notes.append(note)
          mark = "[\(notes.count)]"
        }
      }
      let ratio = f.ratio.map { formatFigure($0) + "×" + (f.withinRange == true ? " in range" : "") } ?? "–"
      table.add([
        f.subject == previous ? "" : f.subject, f.quantity, f.unit, f.paper?.text ?? "–", f.source ?? "",
        f.ours.map(formatFigure) ?? "not built", ratio, mark,
      ])
      previous = f.subject
    }
    lines.append(table.render())
    if !notes.isEmpty {
      lines.append("")
      for (i, n) in notes.enumerated() { lines.append("  [\(i + 1)] \(n)") }
    }
    if !assumptions.isEmpty {
      lines.append("")
      lines.append("  Where our setting differs from the paper's:")
      for a in assumptions { lines.append("  - \(a)") }
    }
    lines.append("")
    lines.append("  ran in \(formatFigure(wallSeconds)) s")
    return lines.joined(separator: "\n")
  }
}
