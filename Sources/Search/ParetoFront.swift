import Mapping

/// One evaluated mapping: its plan, its simulation, its figures and (when the goal asked) its
/// accuracy drop.
public struct FrontPoint: Sendable {
  public var plan: MappingPlan
  public var result: MappingResult
  public var cost: CostVector
  public var accuracy: AccuracyDrop?
  /// Operators the strategy could not place where it wanted (they ran on the host tier).
  public var fallbacks: [String]

  public init(plan: MappingPlan, result: MappingResult, cost: CostVector, accuracy: AccuracyDrop? = nil, fallbacks: [String] = []) {
    self.plan = plan
    self.result = result
    self.cost = cost
    self.accuracy = accuracy
    self.fallbacks = fallbacks
  }
}

/// The feasible mappings no other found mapping beats on every objective: `a` dominates `b` when
/// it is no worse on every objective and better on one. Points with equal figures on every
/// objective are one point (the first found is kept), so the front is deterministic for a
/// deterministic insertion order.
public struct ParetoFront: Sendable {
  public let objectives: [Metric]
  /// Sorted by the first objective, then the next ones.
  public private(set) var points: [FrontPoint] = []

  public init(objectives: [Metric]) {
    precondition(!objectives.isEmpty, "a front needs an objective")
    self.objectives = objectives
  }

  public var isEmpty: Bool { points.isEmpty }
  public var count: Int { points.count }

  /// Whether `a` dominates `b` on `objectives`.
  public static func dominates(_ a: CostVector, _ b: CostVector, on objectives: [Metric]) -> Bool {
    var better = false
    for m in objectives {
      let (x, y) = (a.value(m), b.value(m))
      if x > y { return false }
      if x < y { better = true }
    }
    return better
  }

  func equal(_ a: CostVector, _ b: CostVector) -> Bool { objectives.allSatisfy { a.value($0) == b.value($0) } }

  /// Adds `point` unless a point already on the front dominates or equals it; removes the points
  /// it dominates. Returns whether it was added.
  @discardableResult
  public mutating func insert(_ point: FrontPoint) -> Bool {
    for p in points where Self.dominates(p.cost, point.cost, on: objectives) || equal(p.cost, point.cost) {
      return false
    }
    points.removeAll { Self.dominates(point.cost, $0.cost, on: objectives) }
    let key = objectives.map { point.cost.value($0) }
    let at = points.firstIndex { p in
      let k = objectives.map { p.cost.value($0) }
      return key.lexicographicallyPrecedes(k)
    } ?? points.endIndex
    points.insert(point, at: at)
    return true
  }

  /// The point with the least value of `metric` (ties: the earlier on the front).
  public func best(by metric: Metric) -> FrontPoint? {
    points.min { $0.cost.value(metric) < $1.cost.value(metric) }
  }
}
