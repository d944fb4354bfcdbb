import HybrixCore
import Workloads

extension InspectReport {
  /// The terminal form: a header line, the operator table (or the `top` heaviest operators by
  /// operations), the per-kind breakdown and the totals.
  public func renderText(top: Int? = nil) -> String {
    var out: [String] = []
    var what = "\(model.name) (\(model.source))  phase \(workload.phase.rawValue), batch \(workload.batch)"
    if let s = workload.sequenceLength { what += ", sequence \(s)" }
    if let c = workload.contextLength { what += ", context \(c)" }
    if let i = workload.imageSize { what += ", image \(i)×\(i)" }
    what += ", precision \(precision.name)"
    out.append(what)
    if let l = deploymentLowering { out.append(l.line) }
    out.append("")

    var rows = operators
    if let top {
      rows = Array(rows.sorted { ($0.macs * 2 + $0.vectorOps) > ($1.macs * 2 + $1.vectorOps) }.prefix(top))
      out.append("Top \(rows.count) of \(operators.count) operators by operations:")
    }
    let showPass = operators.contains { $0.pass != Pass.forward.rawValue }
    var columns: [TextTable.Column] = [
      .init("#", .right), .init("operator"), .init("kind"),
    ]
    if showPass { columns.append(.init("pass")) }
    columns += [
      .init("input → output"), .init("gemm (m×k·k×n)"), .init("W"), .init("MACs", .right),
      .init("ops", .right), .init("params", .right), .init("bytes", .right),
      .init("ops/B", .right),
    ]
    var table = TextTable(columns)
    for r in rows {
      let input = r.inputShapes.first.map(NumberFormat.shape) ?? "-"
      let output = r.outputShapes.first.map(NumberFormat.shape) ?? "-"
      var cells = [String(r.index), r.name, FusedOperator.label(r.label, fused: r.fused ?? [])]
      if showPass { cells.append(r.pass) }
      cells += [
        "\(input) → \(output)", r.matmul.map(\.description) ?? "",
        r.secondOperand == "-" ? "" : r.secondOperand,
        r.macs == 0 ? "" : NumberFormat.count(r.macs),
        r.vectorOps == 0 ? "" : NumberFormat.count(r.vectorOps),
        r.parameters == 0 ? "" : NumberFormat.count(r.parameters),
        r.bytes.total == 0 ? "" : NumberFormat.bytes(r.bytes.total),
        r.arithmeticIntensity.map { NumberFormat.decimal($0) } ?? "",
      ]
      table.add(cells)
    }
    out.append(table.render())
    out.append("")

    var kinds = TextTable([
      .init("kind"), .init("count", .right), .init("MACs", .right), .init("ops", .right),
      .init("params", .right), .init("bytes", .right),
    ])
    for k in byKind {
      kinds.add([
        k.kind, String(k.count), NumberFormat.count(k.macs), NumberFormat.count(k.vectorOps),
        NumberFormat.count(k.parameters), NumberFormat.bytes(k.bytes),
      ])
    }
    out.append(kinds.render())
    out.append("")

    let t = totals
    var summary = TextTable([.init("total"), .init("value", .right), .init("note")])
    summary.add(["operators", String(t.operators), ""])
    summary.add(["parameters", NumberFormat.count(t.parameters), "\(t.parameters)"])
    summary.add(["weight storage", NumberFormat.bytes(t.weightStorageBytes), "at \(precision.weightBits)-bit weights"])
    summary.add(["MACs", NumberFormat.count(t.macs), "\(t.macs)"])
    summary.add([
      "  static-weight MACs", NumberFormat.count(t.staticWeightMACs),
      "second operand is a stored weight (crossbar-friendly)",
    ])
    summary.add([
      "  dynamic-operand MACs", NumberFormat.count(t.dynamicOperandMACs),
      "both operands computed at run time (attention, gradients)",
    ])
    summary.add(["other operations", NumberFormat.count(t.vectorOps), "softmax, norms, pointwise, pooling"])
    summary.add(["traffic", NumberFormat.bytes(t.bytes.total), "each operand read once, output written once"])
    summary.add(["  weights", NumberFormat.bytes(t.bytes.weights), ""])
    summary.add(["  activations in", NumberFormat.bytes(t.bytes.activationsIn), ""])
    summary.add(["  outputs", NumberFormat.bytes(t.bytes.out), ""])
    if t.kvCacheBytesPerStep > 0 || workload.phase == .decode {
      summary.add(["  KV cache read", NumberFormat.bytes(t.kvCacheBytesPerStep), "per decoded token (whole batch)"])
    }
    summary.add([
      "arithmetic intensity", t.arithmeticIntensity.map { NumberFormat.decimal($0) } ?? "-",
      "operations (2 per MAC) per byte",
    ])
    out.append(summary.render())
    for w in warnings { out.append("warning: \(w)") }
    return out.joined(separator: "\n")
  }
}
