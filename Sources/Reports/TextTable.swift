/// A plain-text table with aligned columns, for terminal output.
///
/// Numeric columns are right-aligned, text columns left-aligned; the header is underlined.
/// Width is measured in Unicode scalars, which is right for the symbols Hybrix prints (×, ·, µ).
public struct TextTable: Sendable {
  public enum Alignment: Sendable { case left, right }
  public struct Column: Sendable {
    public var title: String
    public var alignment: Alignment
    public init(_ title: String, _ alignment: Alignment = .left) {
      self.title = title
      self.alignment = alignment
    }
  }

  public var columns: [Column]
  public private(set) var rows: [[String]] = []
  /// Indices of rows after which a separator line is drawn (e.g. before totals).
  public private(set) var separators: Set<Int> = []

  public init(_ columns: [Column]) { self.columns = columns }

  public mutating func add(_ row: [String]) {
    precondition(row.count == columns.count, "row has \(row.count) cells for \(columns.count) columns")
    rows.append(row)
  }

  /// Draws a line under the last added row.
  public mutating func addSeparator() { separators.insert(rows.count - 1) }

  public func render() -> String {
    var widths = columns.map { $0.title.unicodeScalars.count }
    for row in rows {
      for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.unicodeScalars.count) }
    }
    func line(_ cells: [String]) -> String {
      var parts: [String] = []
      for (i, cell) in cells.enumerated() {
        let pad = String(repeating: " ", count: widths[i] - cell.unicodeScalars.count)
        parts.append(columns[i].alignment == .right ? pad + cell : cell + pad)
      }
      // Trailing spaces on the last column are noise in terminals and golden files.
      var text = parts.joined(separator: "  ")
      while text.last == " " { text.removeLast() }
      return text
    }
    let rule = widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")
    var out = [line(columns.map(\.title)), rule]
    for (i, row) in rows.enumerated() {
      out.append(line(row))
      if separators.contains(i) { out.append(rule) }
    }
    return out.joined(separator: "\n")
  }
}
