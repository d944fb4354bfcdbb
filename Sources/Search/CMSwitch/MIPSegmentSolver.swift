import HybrixCore

/// ``SegmentAllocationProblem`` as a mixed-integer program on any ``LinearSolver``
/// (CMSwitch Eqs. 5–9 by counts), solved lexicographically like ``ExactSegmentSolver``: least
/// bottleneck, then fewest arrays. Per operator `O`: one binary per choice `(c, m, seconds)`
/// (`Σ z = 1`); integer input and output buffers with `in + out = Σ m·z`; an integer `h` of input
/// buffers shared with the producer's output buffers (`h ≤ in`, `Σ_consumers h ≤ out` of the
/// producer); all arrays `Σ (c + m)·z − Σ h ≤ N`. Stage 1 minimises the bottleneck `T ≥ Σ seconds·z`
/// per operator (seconds scaled so the largest is 1 000, away from the solver's absolute
/// tolerances); stage 2 keeps only the choices within that `T` and minimises the arrays (whole
/// numbers, so no tolerance is involved). Among allocations equal in both, the canonical one
/// (``ExactSegmentSolver``'s fixed order) is returned when it has the proven bottleneck and
/// arrays, so both solvers give the same program; otherwise the solver's own.
public struct MIPSegmentSolver: SegmentSolver {
  public let name: String
  let make: @Sendable () throws(ConfigError) -> any LinearSolver

  public init(name: String, make: @escaping @Sendable () throws(ConfigError) -> any LinearSolver) {
    self.name = name
    self.make = make
  }

  /// The MIP on CBC.
  public static var cbc: MIPSegmentSolver { MIPSegmentSolver(name: "cbc") { () throws(ConfigError) in try CBCSolver() } }

  public func solve(_ problem: SegmentAllocationProblem, timeLimit: Double?) throws(ConfigError) -> SegmentAllocation? {
    guard let first = try stage(problem, fewestArrays: false, timeLimit: timeLimit) else { return nil }
    // Stage 2 on the choices within the bottleneck found.
    var within = problem
    for j in within.operators.indices {
      within.operators[j].choices = within.operators[j].choices.filter { $0.seconds <= first.seconds }
    }
    guard let second = try stage(within, fewestArrays: true, timeLimit: timeLimit), second.seconds <= first.seconds else { return first }
    var result = second
    result.proven = first.proven && second.proven
    result.gap = max(first.gap, second.gap)
    if result.proven, var canonical = ExactSegmentSolver().plan(problem, at: first.seconds), canonical.seconds == result.seconds,
      canonical.arrays == result.arrays
    {
      canonical.proven = true
      return canonical
    }
    return result
  }

  /// One stage: the least bottleneck, or (`fewestArrays`) the fewest arrays.
  func stage(_ problem: SegmentAllocationProblem, fewestArrays: Bool, timeLimit: Double?) throws(ConfigError) -> SegmentAllocation? {
    let ops = problem.operators
    let largest = problem.candidates.last ?? 1
    let scale = largest > 0 ? 1000 / largest : 1
    var lp = try make()
    let t = fewestArrays ? -1 : lp.addVariable(lower: 0, upper: .infinity, integer: false)
    var z: [[Int]] = []
    var inputs: [Int] = []
    var outputs: [Int] = []
    var shared: [Int?] = []
    var capacity: [(variable: Int, coefficient: Double)] = []
    for o in ops {
      guard !o.choices.isEmpty else { return nil }
      let zs = o.choices.map { _ in lp.addVariable(lower: 0, upper: 1, integer: true) }
      let input = lp.addVariable(lower: 0, upper: Double(o.inputCap), integer: true)
      let output = lp.addVariable(lower: 0, upper: Double(o.outputCap), integer: true)
      lp.addConstraint(zs.map { ($0, 1) }, lower: 1, upper: 1)
      lp.addConstraint([(input, 1), (output, 1)] + zip(zs, o.choices).map { ($0, -Double($1.memory)) }, lower: 0, upper: 0)
      if !fewestArrays {
        lp.addConstraint([(t, 1)] + zip(zs, o.choices).map { ($0, -$1.seconds * scale) }, lower: 0, upper: .infinity)
      }
      capacity += zip(zs, o.choices).map { ($0, Double($1.compute + $1.memory)) }
      z.append(zs)
      inputs.append(input)
      outputs.append(output)
      shared.append(nil)
    }
    for (j, o) in ops.enumerated() {
      guard let p = o.producer, p < j else { continue }
      let h = lp.addVariable(lower: 0, upper: Double(o.inputCap), integer: true)
      lp.addConstraint([(h, 1), (inputs[j], -1)], lower: -.infinity, upper: 0)
      capacity.append((h, -1))
      shared[j] = h
    }
    for p in ops.indices {
      let hs = ops.indices.compactMap { j in ops[j].producer == p && p < j ? shared[j] : nil }
      guard !hs.isEmpty else { continue }
      lp.addConstraint(hs.map { ($0, 1) } + [(outputs[p], -1)], lower: -.infinity, upper: 0)
    }
    lp.addConstraint(capacity, lower: -.infinity, upper: Double(problem.arrays))
    lp.minimize(fewestArrays ? capacity : [(t, 1)])
    let solution = try lp.solve(timeLimit: timeLimit)
    guard solution.status == .optimal || solution.status == .feasible else { return nil }
    let x = solution.values
    func int(_ v: Int) -> Int { Int(x[v].rounded()) }
    let picked = ops.indices.map { j in o(ops[j], z[j], x) }
    return SegmentAllocation(
      seconds: picked.map(\.seconds).max() ?? 0, compute: picked.map(\.compute), inputBuffers: inputs.map(int),
      outputBuffers: outputs.map(int), sharedInputBuffers: shared.map { $0.map(int) ?? 0 }, proven: solution.status == .optimal,
      gap: solution.gap)
  }

  /// The choice whose binary is set.
  func o(_ op: SegmentAllocationProblem.Operator, _ zs: [Int], _ x: [Double]) -> SegmentAllocationProblem.Choice {
    zip(zs, op.choices).first { x[$0.0] > 0.5 }?.1 ?? op.choices[0]
  }
}
