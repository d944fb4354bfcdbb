import Foundation
import Hardware
import HybrixCore
import Search
import Workloads
import Yams

extension SweepPlan {
  static let topKeys = [
    "version", "name", "description", "workloads", "precisions", "architectures", "strategies",
    "objectives", "seed", "baselines",
  ]
  static let workloadKeys = ["model", "batch", "seq", "image_size", "phase", "dims", "no_fusion"]
  static let architectureKeys = ["arch", "parameters"]

  /// Loads the plan file at `path`; relative model and architecture paths in it are taken from
  /// the plan's folder. Every error is collected, with its path inside the file.
  public static func load(path: String) throws(ConfigErrors) -> SweepPlan {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ConfigErrors([
        ConfigError(file: path, message: "no such file", expected: "a sweep plan (YAML, version: 1)",
          hint: "examples/sweep-small.yaml is one to copy"),
      ])
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw ConfigErrors([ConfigError(file: path, message: "cannot read the file as UTF-8 text")])
    }
    let folder = (path as NSString).deletingLastPathComponent
    return try load(yaml: text, file: path, folder: folder)
  }

  /// Loads a plan from YAML text; `file` names it in errors, `folder` resolves relative paths.
  public static func load(yaml: String, file: String, folder: String = "") throws(ConfigErrors) -> SweepPlan {
    var reader = PlanReader(file: file, folder: folder)
    let plan = reader.read(yaml)
    guard reader.errors.isEmpty, let plan else {
      throw ConfigErrors(reader.errors.map { $0.inFile(file) })
    }
    return plan
  }
}

/// Reads a plan's YAML tree into a ``SweepPlan``, collecting errors.
struct PlanReader {
  let file: String
  let folder: String
  var errors: [ConfigError] = []

  mutating func read(_ yaml: String) -> SweepPlan? {
    let root: Node?
    do { root = try Yams.compose(yaml: yaml) } catch {
      errors.append(ConfigError(message: "not valid YAML: \(error)"))
      return nil
    }
    guard let top = root?.mapping else {
      errors.append(ConfigError(message: "the top level is not a mapping", expected: "keys \(SweepPlan.topKeys.joined(separator: ", "))"))
      return nil
    }
    unknownKeys(top, SweepPlan.topKeys, "")
    if top["version"]?.int != 1 {
      errors.append(ConfigError(path: "version", message: "version \(top["version"]?.string ?? "missing")", expected: "version: 1"))
    }
    let name = top["name"]?.string ?? ((file as NSString).lastPathComponent as NSString).deletingPathExtension
    let workloads = list(top["workloads"], "workloads", required: true).enumerated().flatMap { i, n in
      workload(n, "workloads[\(i)]")
    }
    let precisions = strings(top["precisions"], "precisions", default: ["int8"]).enumerated().compactMap { i, text in
      capture { () throws(ConfigError) in try Precision.parse(text, path: "precisions[\(i)]") }
    }
    let architectures = list(top["architectures"], "architectures", required: true).enumerated().compactMap {
      i, n in architecture(n, "architectures[\(i)]")
    }
    let strategies = strings(top["strategies"], "strategies", default: ["greedy"])
    // The name is checked here; an argument (`homogeneous:<tier>`) is checked per architecture,
    // and a point whose architecture lacks that tier is stored as invalid.
    let known = StrategyRegistry.builtIn.map(\.name)
    for (i, s) in strategies.enumerated() {
      let base = String(s.split(separator: ":", maxSplits: 1).first ?? "")
      guard !known.contains(base) else { continue }
      errors.append(
        ConfigError(path: "strategies[\(i)]", message: "unknown strategy \"\(s)\"",
          expected: StrategyRegistry.names.joined(separator: ", "),
          hint: NearestName.suggestion(for: base, among: known).map { "did you mean \($0)?" }))
    }
    let objectives = strings(top["objectives"], "objectives", default: ["latency"]).enumerated().compactMap { i, o in
      do throws(ConfigError) {
        _ = try Goal.parse(objectives: o)
        return o
      } catch {
        errors.append(ConfigError(path: "objectives[\(i)]", message: error.message, expected: error.expected, hint: error.hint))
        return nil
      }
    }
    var seed: UInt64 = 1
    if let node = top["seed"] {
      if let s = node.string.flatMap(UInt64.init) { seed = s } else {
        errors.append(ConfigError(path: "seed", message: "\(node.string ?? "not a scalar")", expected: "an integer ≥ 0"))
      }
    }
    var baselines = false
    if let node = top["baselines"] {
      if let b = node.bool { baselines = b } else {
        errors.append(ConfigError(path: "baselines", message: "\(node.string ?? "not a scalar")", expected: "true or false"))
      }
    }
    let plan = SweepPlan(
      name: name, file: file, workloads: workloads, precisions: precisions, architectures: architectures,
      strategies: strategies, objectives: objectives, seed: seed, baselines: baselines)
    if plan.pointCount > SweepPlan.maxPoints { errors.append(SweepPlan.tooManyPoints(plan.pointCount, path: nil)) }
    return plan
  }

  /// The workloads one entry stands for: the cross product of its listed batch, seq, image_size
  /// and phase values.
  mutating func workload(_ node: Node, _ path: String) -> [WorkloadRequest] {
    guard let map = node.mapping else {
      if let model = node.string { return checked([WorkloadRequest(model: resolve(model))], path) }
      errors.append(ConfigError(path: path, message: "not a mapping", expected: "{model: NAME, batch: …}"))
      return []
    }
    unknownKeys(map, SweepPlan.workloadKeys, path)
    guard let model = map["model"]?.string else {
      errors.append(ConfigError(path: "\(path).model", message: "missing", expected: "a zoo model name or an .onnx path"))
      return []
    }
    let batches = ints(map["batch"], "\(path).batch", default: [1]).map(Optional.some)
    let seqs: [Int?] = map["seq"] == nil ? [nil] : ints(map["seq"], "\(path).seq", default: [])
    let sizes: [Int?] = map["image_size"] == nil ? [nil] : ints(map["image_size"], "\(path).image_size", default: [])
    let phases = strings(map["phase"], "\(path).phase", default: ["inference"]).compactMap { p -> Phase? in
      if let phase = Phase(rawValue: p) { return phase }
      errors.append(
        ConfigError(path: "\(path).phase", message: "unknown phase \"\(p)\"",
          expected: Phase.allCases.map(\.rawValue).joined(separator: ", ")))
      return nil
    }
    var dims: [String: Int] = [:]
    for (k, v) in map["dims"]?.mapping ?? Node.Mapping([]) {
      guard let key = k.string, let value = v.int, value >= 1 else {
        errors.append(ConfigError(path: "\(path).dims", message: "\(k.string ?? "?"): \(v.string ?? "?")", expected: "NAME: positive integer"))
        continue
      }
      dims[key] = value
    }
    let noFusion = map["no_fusion"]?.bool ?? false
    let count = SweepPlan.checkedProduct([batches.count, seqs.count, sizes.count, phases.count])
    guard count <= SweepPlan.maxPoints else {
      errors.append(SweepPlan.tooManyPoints(count, path: path))
      return []
    }
    var result: [WorkloadRequest] = []
    for batch in batches { for seq in seqs { for size in sizes { for phase in phases {
      result.append(
        WorkloadRequest(
          model: resolve(model), batch: batch ?? 1, sequenceLength: seq, imageSize: size, phase: phase,
          dimensions: dims, noFusion: noFusion))
    } } } }
    return checked(result, path)
  }

  /// Loads each workload once, so that a bad model name is a plan error before anything runs.
  mutating func checked(_ requests: [WorkloadRequest], _ path: String) -> [WorkloadRequest] {
    guard let first = requests.first else { return [] }
    if first.isONNX {
      if !FileManager.default.fileExists(atPath: first.model) {
        errors.append(ConfigError(path: "\(path).model", message: "no such file \(first.model)", expected: "an .onnx file (relative to the plan's folder) or a zoo model name"))
      }
    } else {
      do { _ = try ModelZoo.model(named: first.model) } catch {
        errors.append(ConfigError(path: "\(path).model", message: error.message, expected: error.expected, hint: error.hint))
      }
    }
    return requests
  }

  mutating func architecture(_ node: Node, _ path: String) -> SweepPlan.ArchitectureEntry? {
    let map = node.mapping
    let name: String
    if let map {
      unknownKeys(map, SweepPlan.architectureKeys, path)
      guard let n = map["arch"]?.string else {
        errors.append(ConfigError(path: "\(path).arch", message: "missing", expected: "a preset name or a YAML file"))
        return nil
      }
      name = n
    } else if let n = node.string {
      name = n
    } else {
      errors.append(ConfigError(path: path, message: "not a mapping", expected: "{arch: NAME, parameters: {…}}"))
      return nil
    }
    let isFile = name.hasSuffix(".yaml") || name.hasSuffix(".yml") || name.contains("/")
    let label = isFile ? resolve(name) : name
    let template: ArchitectureTemplate
    do {
      template =
        isFile
        ? try ArchitectureTemplate(label: label, architecture: try PresetRegistry.architecture(named: label))
        : try ArchitectureTemplate.preset(named: label)
    } catch let e as ConfigErrors {
      errors += e.errors.map { $0.path == "--arch" ? ConfigError(path: "\(path).arch", message: $0.message, expected: $0.expected, hint: $0.hint) : $0 }
      return nil
    } catch let e as ConfigError {
      errors.append(e)
      return nil
    } catch {
      errors.append(ConfigError(path: "\(path).arch", message: "\(error)"))
      return nil
    }
    var parameters: [SweepPlan.Parameter] = []
    for (k, v) in map?["parameters"]?.mapping ?? Node.Mapping([]) {
      guard let key = k.string else { continue }
      let at = "\(path).parameters.\(key)"
      do { _ = try template.steps(key) } catch {
        errors.append(ConfigError(path: at, message: error.message, expected: error.expected, hint: error.hint))
        continue
      }
      let values: [String]
      switch v {
      case .sequence(let s): values = s.compactMap(\.string)
      case .scalar(let s): values = [s.string]
      default: values = []
      }
      if values.isEmpty || (v.sequence.map { $0.count != values.count } ?? false) {
        errors.append(ConfigError(path: at, message: "no values", expected: "a scalar or a list of scalars, e.g. [6, 7, 8]"))
        continue
      }
      parameters.append(SweepPlan.Parameter(path: key, values: values))
    }
    return SweepPlan.ArchitectureEntry(template: template, parameters: parameters)
  }

  // MARK: helpers

  func resolve(_ path: String) -> String {
    let isPath = path.lowercased().hasSuffix(".onnx") || path.hasSuffix(".yaml") || path.hasSuffix(".yml") || path.contains("/")
    guard isPath, !path.hasPrefix("/"), !folder.isEmpty else { return path }
    return (folder as NSString).appendingPathComponent(path)
  }

  mutating func capture<T>(_ body: () throws(ConfigError) -> T) -> T? {
    do { return try body() } catch {
      errors.append(error)
      return nil
    }
  }

  mutating func unknownKeys(_ map: Node.Mapping, _ allowed: [String], _ path: String) {
    for (key, _) in map {
      guard let k = key.string, !allowed.contains(k) else { continue }
      let line = key.mark.map { " (line \($0.line))" } ?? ""
      errors.append(
        ConfigError(
          path: path.isEmpty ? k : "\(path).\(k)", message: "unknown key \"\(k)\"\(line)",
          expected: "one of \(allowed.joined(separator: ", "))",
          hint: NearestName.suggestion(for: k, among: allowed).map { "did you mean \($0)?" }))
    }
  }

  mutating func list(_ node: Node?, _ path: String, required: Bool) -> [Node] {
    guard let node else {
      if required { errors.append(ConfigError(path: path, message: "missing", expected: "a list of at least one entry")) }
      return []
    }
    if let s = node.sequence, !s.isEmpty { return Array(s) }
    if node.sequence == nil { return [node] }
    errors.append(ConfigError(path: path, message: "empty list", expected: "at least one entry"))
    return []
  }

  mutating func strings(_ node: Node?, _ path: String, default value: [String]) -> [String] {
    guard let node else { return value }
    let items = node.sequence.map(Array.init) ?? [node]
    let texts = items.compactMap { $0.scalar?.string }
    if texts.count != items.count || texts.isEmpty {
      errors.append(ConfigError(path: path, message: "not a scalar or a list of scalars", expected: "e.g. [a, b]"))
    }
    return texts
  }

  mutating func ints(_ node: Node?, _ path: String, default value: [Int]) -> [Int] {
    guard let node else { return value }
    let items = node.sequence.map(Array.init) ?? [node]
    let numbers = items.compactMap(\.int).filter { $0 >= 1 }
    if numbers.count != items.count || numbers.isEmpty {
      errors.append(ConfigError(path: path, message: "\(items.compactMap(\.string).joined(separator: ", "))", expected: "a positive integer or a list of them"))
    }
    return numbers
  }
}
