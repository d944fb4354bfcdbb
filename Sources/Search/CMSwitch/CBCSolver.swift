#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import HybrixCore

/// COIN-OR CBC through its C API (`Cbc_C_Interface.h`), loaded at run time with `dlopen`, so
/// the package builds and runs without it and only `--solver cbc` needs it
/// (`research/environment.md` §2: a system-library target cannot be made optional without a
/// trait, and run-time loading keeps one binary). Debian: `apt-get install coinor-libcbc-dev`
/// (the library itself is `coinor-libcbc3`, which it pulls in; `scripts/install-deps`).
public struct CBCSolver: LinearSolver {
  /// The loaded library's entry points.
  struct API: @unchecked Sendable {
    typealias NewModel = @convention(c) () -> OpaquePointer?
    typealias AddCol = @convention(c) (
      OpaquePointer?, UnsafePointer<CChar>?, Double, Double, Double, CChar, Int32, UnsafeMutablePointer<Int32>?,
      UnsafeMutablePointer<Double>?
    ) -> Void
    typealias AddRow = @convention(c) (
      OpaquePointer?, UnsafePointer<CChar>?, Int32, UnsafePointer<Int32>?, UnsafePointer<Double>?, CChar, Double
    ) -> Void
    typealias SetDouble = @convention(c) (OpaquePointer?, Double) -> Void
    typealias SetInt = @convention(c) (OpaquePointer?, Int32) -> Void
    typealias Model = @convention(c) (OpaquePointer?) -> Int32
    typealias GetDouble = @convention(c) (OpaquePointer?) -> Double
    typealias Solution = @convention(c) (OpaquePointer?) -> UnsafePointer<Double>?
    typealias Delete = @convention(c) (OpaquePointer?) -> Void
    let newModel: NewModel
    let addCol: AddCol
    let addRow: AddRow
    let setObjSense: SetDouble
    let setLogLevel: SetInt
    let setMaximumSeconds: SetDouble
    let solve: Model
    let colSolution: Solution
    let isProvenOptimal: Model
    let isProvenInfeasible: Model
    let savedSolutions: Model
    let objValue: GetDouble
    let bestPossible: GetDouble
    let deleteModel: Delete
  }

  /// The library names tried, in order.
  static let libraries = ["libCbcSolver.so.3", "libCbcSolver.so", "libCbcSolver.dylib"]

  /// The loaded API, or why it could not be loaded.
  static let loaded: Result<API, ConfigError> = load()

  static func load() -> Result<API, ConfigError> {
    var handle: UnsafeMutableRawPointer?
    for name in libraries where handle == nil { handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) }
    guard let h = handle else { return .failure(missing("none of \(libraries.joined(separator: ", ")) could be loaded")) }
    func sym<T>(_ name: String, _: T.Type) -> T? {
      guard let p = dlsym(h, name) else { return nil }
      return unsafeBitCast(p, to: T.self)
    }
    guard let newModel = sym("Cbc_newModel", API.NewModel.self), let addCol = sym("Cbc_addCol", API.AddCol.self),
      let addRow = sym("Cbc_addRow", API.AddRow.self), let sense = sym("Cbc_setObjSense", API.SetDouble.self),
      let log = sym("Cbc_setLogLevel", API.SetInt.self), let seconds = sym("Cbc_setMaximumSeconds", API.SetDouble.self),
      let solve = sym("Cbc_solve", API.Model.self), let col = sym("Cbc_getColSolution", API.Solution.self),
      let optimal = sym("Cbc_isProvenOptimal", API.Model.self),
      let infeasible = sym("Cbc_isProvenInfeasible", API.Model.self),
      let saved = sym("Cbc_numberSavedSolutions", API.Model.self), let obj = sym("Cbc_getObjValue", API.GetDouble.self),
      let bound = sym("Cbc_getBestPossibleObjValue", API.GetDouble.self),
      let delete = sym("Cbc_deleteModel", API.Delete.self)
    else { return .failure(missing("the library lacks a Cbc_* function of its C API")) }
    return .success(
      API(
        newModel: newModel, addCol: addCol, addRow: addRow, setObjSense: sense, setLogLevel: log,
        setMaximumSeconds: seconds, solve: solve, colSolution: col, isProvenOptimal: optimal,
        isProvenInfeasible: infeasible, savedSolutions: saved, objValue: obj, bestPossible: bound, deleteModel: delete))
  }

  static func missing(_ why: String) -> ConfigError {
    ConfigError(
      path: "--solver", message: "CBC is not available: \(why)", expected: "COIN-OR CBC's shared library",
      hint: "install it with `apt-get install coinor-libcbc-dev` (or scripts/install-deps run), or use --solver exact")
  }

  /// Throws the ``ConfigError`` naming the apt package when CBC cannot be loaded.
  public static func requireAvailable() throws(ConfigError) { _ = try loaded.get() }

  /// Whether CBC can be loaded here.
  public static var isAvailable: Bool { if case .success = loaded { true } else { false } }

  struct Column {
    var lower: Double
    var upper: Double
    var integer: Bool
  }
  struct Row {
    var terms: [(variable: Int, coefficient: Double)]
    var lower: Double
    var upper: Double
  }
  var columns: [Column] = []
  var rows: [Row] = []
  var objective: [Double] = []

  /// A new, empty model; a ``ConfigError`` naming the apt package when CBC cannot be loaded.
  public init() throws(ConfigError) {
    _ = try Self.loaded.get()
  }

  public mutating func addVariable(lower: Double, upper: Double, integer: Bool) -> Int {
    columns.append(Column(lower: lower, upper: upper, integer: integer))
    objective.append(0)
    return columns.count - 1
  }

  public mutating func addConstraint(_ terms: [(variable: Int, coefficient: Double)], lower: Double, upper: Double) {
    rows.append(Row(terms: terms, lower: lower, upper: upper))
  }

  public mutating func minimize(_ terms: [(variable: Int, coefficient: Double)]) {
    objective = [Double](repeating: 0, count: columns.count)
    for t in terms { objective[t.variable] += t.coefficient }
  }

  public func solve(timeLimit: Double?) throws(ConfigError) -> LinearSolution {
    let api = try Self.loaded.get()
    guard let model = api.newModel() else { throw Self.missing("Cbc_newModel returned nothing") }
    defer { api.deleteModel(model) }
    api.setLogLevel(model, 0)
    api.setObjSense(model, 1)
    if let t = timeLimit { api.setMaximumSeconds(model, max(0.01, t)) }
    // CBC takes ±DBL_MAX as "no bound".
    func finite(_ x: Double) -> Double { x.isFinite ? x : (x > 0 ? Double.greatestFiniteMagnitude : -Double.greatestFiniteMagnitude) }
    for (j, c) in columns.enumerated() {
      api.addCol(model, "", finite(c.lower), finite(c.upper), objective[j], c.integer ? 1 : 0, 0, nil, nil)
    }
    for r in rows {
      var cols = r.terms.map { Int32($0.variable) }
      var coefs = r.terms.map(\.coefficient)
      let n = Int32(cols.count)
      cols.withUnsafeMutableBufferPointer { cp in
        coefs.withUnsafeMutableBufferPointer { vp in
          if r.lower == r.upper {
            api.addRow(model, "", n, cp.baseAddress, vp.baseAddress, CChar(UInt8(ascii: "E")), r.lower)
          } else {
            if r.lower.isFinite { api.addRow(model, "", n, cp.baseAddress, vp.baseAddress, CChar(UInt8(ascii: "G")), r.lower) }
            if r.upper.isFinite { api.addRow(model, "", n, cp.baseAddress, vp.baseAddress, CChar(UInt8(ascii: "L")), r.upper) }
          }
        }
      }
    }
    _ = api.solve(model)
    if api.isProvenInfeasible(model) != 0 {
      return LinearSolution(status: .infeasible, values: [], objective: .infinity, bound: .infinity)
    }
    let optimal = api.isProvenOptimal(model) != 0
    guard optimal || api.savedSolutions(model) > 0, let x = api.colSolution(model) else {
      return LinearSolution(status: .unknown, values: [], objective: .infinity, bound: api.bestPossible(model))
    }
    let values = (0..<columns.count).map { x[$0] }
    let objective = api.objValue(model)
    return LinearSolution(
      status: optimal ? .optimal : .feasible, values: values, objective: objective,
      bound: optimal ? objective : api.bestPossible(model))
  }
}
