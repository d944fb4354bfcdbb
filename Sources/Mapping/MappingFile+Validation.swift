import Hardware
import HybrixCore
import Workloads

extension MappingFile {
  /// The plan of this file for `graph` on `architecture`, the graph and architecture a command
  /// loaded: the operators must be the graph's, in graph order; every tier a share names must be
  /// in `architecture` with the kind the file gives it; and every placement must be one the cost
  /// model can price (``SplitRule``: a `k` split only of a matrix product, on an architecture with
  /// a digital tier).
  ///
  /// - Parameters:
  ///   - file: The file's path, for messages.
  ///   - lowering: How the command lowered `graph`, to name `--no-fusion` when the file's
  ///     ``Model/lowering`` differs; `nil` infers `.deployment` when an operator of `graph` has
  ///     fused operators and says nothing otherwise.
  /// - Throws: One ``ConfigError`` for the first problem, naming `file` and the JSON path.
  public func plan(
    for graph: Graph, architecture: Architecture, file: String, lowering: Lowering? = nil
  ) throws(ConfigError) -> MappingPlan {
    try checkOperators(of: graph, file: file, lowering: lowering)
    let index = try tierIndices(in: architecture, file: file)
    let hasDigitalTier = SplitRule.hasDigitalTier(architecture)
    var placements: [Placement] = []
    placements.reserveCapacity(operators.count)
    let allocations = allocations()
    for (i, (entry, op)) in zip(operators, graph.operators).enumerated() {
      let placement = Placement(
        shares: entry.shares.map { TierShare(tier: index[$0.tier] ?? 0, fraction: $0.fraction) },
        axis: entry.axis, arrays: allocations[i],
        rowOrder: try Self.rowOrder(of: entry, index: i, rows: op.matmul?.n, file: file))
      if let why = SplitRule.refusal(
        placement, isMatrixProduct: op.matmul != nil, hasDigitalTier: hasDigitalTier)
      {
        throw ConfigError(
          file: file, path: "operators[\(i)](\(entry.name)).axis", message: "k: \(why.statement)",
          expected: why.expected, hint: why.levers.joined(separator: ", or "))
      }
      placements.append(placement)
    }
    return MappingPlan(placements: placements)
  }

  /// The placements by operator name, for `hybrix accuracy`, which runs the network as built:
  /// its conv and matmul operators keep their names through deployment lowering, so a mapping of
  /// the lowered graph places them. Checks the tiers against `architecture` and that no name is
  /// given two different placements; whether a `k` split divides a matrix product needs the graph
  /// and is checked by ``plan(for:architecture:file:lowering:)``.
  ///
  /// - Throws: One ``ConfigError`` for the first problem, naming `file` and the JSON path.
  /// With `graph`, a row order is checked against the output columns of the operator of that
  /// name (an operator the graph does not have is left to the network's own check).
  public func assignments(architecture: Architecture, file: String, graph: Graph? = nil) throws(ConfigError)
    -> [OperatorAssignment]
  {
    let rows = Dictionary(
      (graph?.operators ?? []).map { ($0.name, $0.matmul?.n) }, uniquingKeysWith: { first, _ in first })
    let index = try tierIndices(in: architecture, file: file)
    var seen: [String: Int] = [:]
    var out: [OperatorAssignment] = []
    for (i, entry) in operators.enumerated() {
      if let first = seen[entry.name] {
        guard operators[first].shares == entry.shares, operators[first].axis == entry.axis,
          operators[first].rowOrder == entry.rowOrder
        else {
          throw ConfigError(
            file: file, path: "operators[\(i)](\(entry.name)).name",
            message:
              "operator \(entry.name) a second time (first at operators[\(first)]), placed differently",
            expected: "each operator name once",
            hint:
              "a reader by name cannot tell the two apart; remove one entry or write the mapping again"
          )
        }
        continue
      }
      seen[entry.name] = i
      if entry.shares.count > 1, entry.axis == .k, !SplitRule.hasDigitalTier(architecture) {
        let why = SplitRule.kSplitWithoutDigitalTier
        throw ConfigError(
          file: file, path: "operators[\(i)](\(entry.name)).axis", message: "k: \(why.statement)",
          expected: why.expected, hint: why.levers.joined(separator: ", or "))
      }
      let order: [Int]?
      if let known = rows[entry.name] {
        order = try Self.rowOrder(of: entry, index: i, rows: known, file: file)
      } else {
        order = entry.rowOrder
      }
      out.append(
        OperatorAssignment(
          name: entry.name,
          shares: entry.shares.map { TierShare(tier: index[$0.tier] ?? 0, fraction: $0.fraction) },
          axis: entry.axis, rowOrder: order))
    }
    return out
  }

  /// Ways the run differs from the one the mapping was made for that change its figures but not
  /// its validity (workload sizes, precision, architecture name, lowering), one line each for
  /// the user to read.
  public func warnings(
    graph: Graph, architecture: Architecture, precision: Precision, lowering: Lowering? = nil
  ) -> [String] {
    var out: [String] = []
    if graph.workload != model.workload {
      out.append(
        "the mapping was made for \(Self.describe(model.workload)); this run is \(Self.describe(graph.workload))"
      )
    }
    if precision != model.precision.precision {
      out.append(
        "the mapping was made at precision \(model.precision.name); this run uses \(precision)")
    }
    if architecture.name != self.architecture.name {
      out.append(
        "the mapping was made for architecture \(self.architecture.name); this run uses \(architecture.name)"
      )
    }
    if let lowering, lowering != model.lowering {
      out.append(
        "the mapping was made with lowering \(model.lowering.rawValue); this run's is \(lowering.rawValue)"
      )
    }
    return out
  }

  static func describe(_ w: WorkloadParameters) -> String {
    var parts = ["\(w.phase.rawValue)", "batch \(w.batch)"]
    if let s = w.sequenceLength { parts.append("sequence \(s)") }
    if let c = w.contextLength { parts.append("context \(c)") }
    if let i = w.imageSize { parts.append("image \(i)") }
    return parts.joined(separator: ", ")
  }

  /// The index in `architecture` of every tier a share names, after checking that it is there
  /// with the kind the file gives it.
  func tierIndices(in architecture: Architecture, file: String) throws(ConfigError) -> [String: Int]
  {
    var index: [String: Int] = [:]
    let ids = architecture.tiers.map(\.id)
    for (i, entry) in operators.enumerated() {
      for (j, share) in entry.shares.enumerated() where index[share.tier] == nil {
        guard let t = architecture.tierIndex(share.tier) else {
          let near =
            NearestName.suggestion(for: share.tier, among: ids).map { "did you mean \($0)? " } ?? ""
          let made =
            self.architecture.name == architecture.name
            ? "the architecture \(architecture.name) has changed since the mapping was written"
            : "the mapping was made for architecture \(self.architecture.name); pass --arch \(self.architecture.name)"
          throw ConfigError(
            file: file, path: "operators[\(i)](\(entry.name)).shares[\(j)].tier",
            message: "tier \(share.tier) is not in architecture \(architecture.name)",
            expected: "one of \(ids.joined(separator: ", "))", hint: near + made)
        }
        let fileKind = self.architecture.tiers.first { $0.id == share.tier }?.kind
        let kind = type(of: architecture.tiers[t]).kind
        if let fileKind, fileKind != kind {
          let k = self.architecture.tiers.firstIndex { $0.id == share.tier } ?? 0
          throw ConfigError(
            file: file, path: "architecture.tiers[\(k)](\(share.tier)).kind",
            message:
              "\(fileKind.rawValue), but tier \(share.tier) of architecture \(architecture.name) is \(kind.rawValue)",
            expected: kind.rawValue,
            hint:
              "the mapping was made for architecture \(self.architecture.name); pass --arch \(self.architecture.name)"
          )
        }
        index[share.tier] = t
      }
    }
    return index
  }
}

extension MappingFile {
  /// Checks that the file's operators are `graph`'s, by name and in graph order; the error names
  /// the first that differs and the model the file was made for.
  func checkOperators(of graph: Graph, file: String, lowering: Lowering?) throws(ConfigError) {
    let names = graph.operators.map(\.name)
    let mine = operators.map(\.name)
    guard names != mine else { return }
    let i =
      (0..<min(names.count, mine.count)).first { names[$0] != mine[$0] }
      ?? min(names.count, mine.count)
    let path: String
    let message: String
    if i < mine.count {
      let f = mine[i]
      path = "operators[\(i)](\(f)).name"
      if !names.contains(f) {
        let near = NearestName.suggestion(for: f, among: names).map { " (nearest: \($0))" } ?? ""
        message = "unknown operator \(f): \(graph.name) has no operator of that name\(near)"
      } else if mine[..<i].contains(f),
        mine.filter({ $0 == f }).count > names.filter({ $0 == f }).count
      {
        message = "operator \(f) a second time"
      } else if i < names.count, !mine.contains(names[i]) {
        message = "operator \(names[i]) of \(graph.name) is missing (found \(f) in its place)"
      } else if i < names.count {
        message = "operator \(f) out of order (\(graph.name) has \(names[i]) at index \(i))"
      } else {
        message = "operator \(f) beyond the \(names.count) operators of \(graph.name)"
      }
    } else {
      path = "operators"
      let missing = names[i..<names.count]
      message =
        "operator \(missing.first ?? "") of \(graph.name) is missing"
        + (missing.count > 1 ? " (and \(missing.count - 1) more after it)" : "")
    }
    let made =
      "the mapping was made for model \(model.name)\(model.path.map { " (\($0))" } ?? "")"
      + " with \(model.operators) operators (\(Self.describe(model.workload)), lowering \(model.lowering.rawValue));"
      + " this graph has \(names.count)"
    throw ConfigError(
      file: file, path: path, message: message + "; " + made,
      expected: "the operators of the graph, in graph order",
      hint: "map the same model with the same options the mapping was made with"
        + loweringHint(graph, lowering))
  }

  /// What to say about `--no-fusion` when the run's lowering differs (or may differ) from the
  /// file's.
  func loweringHint(_ graph: Graph, _ lowering: Lowering?) -> String {
    let known = lowering ?? (graph.operators.contains { !$0.fused.isEmpty } ? .deployment : nil)
    let fix = model.lowering == .none ? "pass --no-fusion" : "drop --no-fusion"
    guard let known else {
      return "; the mapping's lowering is \(model.lowering.rawValue): \(fix) if this run's differs"
    }
    guard known != model.lowering else { return "" }
    return
      "; the mapping was made with lowering \(model.lowering.rawValue), this run's is \(known.rawValue): \(fix)"
  }
}
