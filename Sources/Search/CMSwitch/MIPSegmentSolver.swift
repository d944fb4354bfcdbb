import HybrixCore

/// ``SegmentAllocationProblem`` as a mixed-integer program on any ``LinearSolver``
/// (CMSwitch Eqs. 5–9 by counts). Per operator `O`: one binary per compute count `c`
/// (`Σ_c z = 1`) and per memory count `m` (`Σ_m y = 1`); integer input and output buffers with
/// `in + out = Σ m·y`; an integer `h` of input buffers shared with the producer's output
/// buffers (`h ≤ in`, `Σ_consumers h ≤ out` of the producer); the bottleneck `T ≥ Σ seconds·z`
/// and `T ≥ Σ seconds·y`; all arrays `Σ c·z + Σ m·y − Σ h ≤ N`. Minimise `T`. Seconds are scaled
/// so the largest is 1 000, away from the solver's absolute tolerances.
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
    let ops = problem.operators
    let largest = problem.candidates.last ?? 1
    let scale = largest > 0 ? 1000 / largest : 1
    var lp = try make()
    let t = lp.addVariable(lower: 0, upper: .infinity, integer: false)
    var z: [[(c: Int, v: Int)]] = []
    var y: [[(m: Int, v: Int)]] = []
    var inputs: [Int] = []
    var outputs: [Int] = []
    var shared: [Int?] = []
    var capacity: [(variable: Int, coefficient: Double)] = []
    for o in ops {
      var zs: [(c: Int, v: Int)] = []
      for (i, s) in o.computeSeconds.enumerated() where s.isFinite {
        zs.append((i + 1, lp.addVariable(lower: 0, upper: 1, integer: true)))
      }
      var ys: [(m: Int, v: Int)] = []
      for (m, s) in o.memorySeconds.enumerated() where s.isFinite {
        ys.append((m, lp.addVariable(lower: 0, upper: 1, integer: true)))
      }
      guard !zs.isEmpty, !ys.isEmpty else { return nil }
      let input = lp.addVariable(lower: 0, upper: Double(o.inputCap), integer: true)
      let output = lp.addVariable(lower: 0, upper: Double(o.outputCap), integer: true)
      lp.addConstraint(zs.map { ($0.v, 1) }, lower: 1, upper: 1)
      lp.addConstraint(ys.map { ($0.v, 1) }, lower: 1, upper: 1)
      lp.addConstraint([(input, 1), (output, 1)] + ys.map { ($0.v, -Double($0.m)) }, lower: 0, upper: 0)
      lp.addConstraint([(t, 1)] + zs.map { ($0.v, -o.computeSeconds[$0.c - 1] * scale) }, lower: 0, upper: .infinity)
      lp.addConstraint([(t, 1)] + ys.map { ($0.v, -o.memorySeconds[$0.m] * scale) }, lower: 0, upper: .infinity)
      capacity += zs.map { ($0.v, Double($0.c)) } + ys.map { ($0.v, Double($0.m)) }
      z.append(zs)
      y.append(ys)
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
    for (p, _) in ops.enumerated() {
      let hs = ops.indices.compactMap { j in ops[j].producer == p && p < j ? shared[j] : nil }
      guard !hs.isEmpty else { continue }
      lp.addConstraint(hs.map { ($0, 1) } + [(outputs[p], -1)], lower: -.infinity, upper: 0)
    }
    lp.addConstraint(capacity, lower: -.infinity, upper: Double(problem.arrays))
    lp.minimize([(t, 1)])
    let solution = try lp.solve(timeLimit: timeLimit)
    guard solution.status == .optimal || solution.status == .feasible else { return nil }
    let x = solution.values
    func int(_ v: Int) -> Int { Int(x[v].rounded()) }
    let compute = z.map { zs in zs.first { x[$0.v] > 0.5 }?.c ?? 1 }
    let memory = y.map { ys in ys.first { x[$0.v] > 0.5 }?.m ?? 0 }
    let seconds = ops.indices.map { max(ops[$0].computeSeconds[compute[$0] - 1], ops[$0].memorySeconds[memory[$0]]) }.max() ?? 0
    return SegmentAllocation(
      seconds: seconds, compute: compute, inputBuffers: inputs.map(int), outputBuffers: outputs.map(int),
      sharedInputBuffers: shared.map { $0.map(int) ?? 0 }, proven: solution.status == .optimal, gap: solution.gap)
  }
}
