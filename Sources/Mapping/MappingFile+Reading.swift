import Foundation
import Hardware
import HybrixCore
import Workloads

extension MappingFile {
  /// The hint of a file that is not a saved mapping.
  static let writeHint = "write a mapping with `hybrix map MODEL --save-mapping m.json`"

  /// Reads and checks a saved mapping: JSON, schema `hybrix.mapping` v1 or v2, every field of the
  /// right type, no unknown key (v2's `rowOrder` and `arrays` only in a v2 file), tier ids among
  /// the file's tiers, shares in (0, 1] adding up to 1, no `k` split over several tiers when the
  /// file's architecture has no digital tier, a row order that is a permutation given to an `n`
  /// split, array counts in range on a whole operator, segments in graph order.
  ///
  /// What needs the graph and the architecture a command loaded is checked when the plan is made
  /// (``plan(for:architecture:file:lowering:)``, ``assignments(architecture:file:)``).
  ///
  /// - Throws: One ``ConfigError`` naming `path`, the JSON path inside it, what was expected and a
  ///   hint; the first problem found.
  public static func read(file path: String) throws(ConfigError) -> MappingFile {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory),
      !isDirectory.boolValue,
      let data = FileManager.default.contents(atPath: path)
    else {
      throw ConfigError(
        file: path, message: "cannot be read",
        expected: "a mapping file (schema hybrix.mapping v1 or v2)", hint: writeHint)
    }
    return try decode(data, file: path)
  }

  /// ``read(file:)`` of bytes already in memory; `file` names them in errors.
  public static func decode(_ data: Data, file: String) throws(ConfigError) -> MappingFile {
    let document: JSONValue
    do { document = try JSONDecoder().decode(JSONValue.self, from: data) } catch {
      throw ConfigError(
        file: file, message: "is not JSON", expected: "a mapping file (schema hybrix.mapping v1 or v2)",
        hint: writeHint)
    }
    let r = JSONFieldReader(file: file, hint: "see docs/mapping-file.md")
    func text(_ v: JSONValue, _ p: String) throws(ConfigError) -> String { try r.string(v, at: p) }
    let version = try checkSchema(document, r)
    let top = try r.object(
      document, at: "",
      keys: [
        "schema", "schemaVersion", "tool", "toolVersion", "model", "architecture", "strategy",
        "goal", "operators",
      ],
      what: "a JSON object")
    let architecture = try readArchitecture(
      try r.member(top, "architecture", at: "", expected: "an object with name and tiers"), r)
    var file = MappingFile(
      toolVersion: try r.string(
        try r.member(top, "toolVersion", at: "", expected: "a string"), at: "toolVersion"),
      model: try readModel(
        try r.member(top, "model", at: "", expected: "an object describing the model"), r),
      architecture: architecture,
      strategy: try r.optional(top, "strategy", at: "", text),
      goal: try r.optional(top, "goal", at: "", text),
      operators: [])
    file.schemaVersion = version
    file.tool = try r.string(try r.member(top, "tool", at: "", expected: "a string"), at: "tool")
    let entries = try r.array(
      try r.member(top, "operators", at: "", expected: "an array with one entry per operator"),
      at: "operators",
      expected: "an array with one entry per operator")
    guard entries.count == file.model.operators else {
      throw r.error(
        "operators", "\(entries.count) entries",
        expected: "\(file.model.operators), as model.operators says",
        hint: "one entry per operator of the graph; " + writeHint)
    }
    let tierIDs = architecture.tiers.map(\.id)
    let hasDigitalTier = architecture.tiers.contains { $0.kind == .digital }
    for (i, value) in entries.enumerated() {
      file.operators.append(
        try readOperator(
          value, at: "operators[\(i)]", tierIDs: tierIDs, hasDigitalTier: hasDigitalTier, version: version, r))
    }
    try checkSegmentOrder(file.operators, r)
    return file
  }

  /// `schema` and `schemaVersion` first, so that another kind of file gets the right message.
  /// Returns the file's version.
  static func checkSchema(_ document: JSONValue, _ r: JSONFieldReader) throws(ConfigError) -> Int {
    guard case .object(let top) = document else {
      throw r.error(
        "", "holds \(document.found)", expected: "a JSON object (schema hybrix.mapping v1 or v2)",
        hint: writeHint)
    }
    let expected = "\(schemaName) v1 or v2"
    guard case .string(let schema)? = top["schema"] else {
      throw r.error(
        "schema", top["schema"].map { "found \($0.found)" } ?? "missing", expected: expected,
        hint: writeHint)
    }
    guard schema == schemaName else {
      let what =
        schema == "hybrix.map"
        ? "a `hybrix map --json` report, not a saved mapping" : "schema \(schema)"
      throw r.error("schema", what, expected: expected, hint: writeHint)
    }
    guard case .number(let version)? = top["schemaVersion"],
      let v = schemaVersions.first(where: { Double($0) == version })
    else {
      throw r.error(
        "schemaVersion", top["schemaVersion"].map { "found \($0.found)" } ?? "missing",
        expected: "1 or 2",
        hint:
          "this hybrix reads \(expected) files; write the mapping again with it (`hybrix map MODEL --save-mapping m.json`)"
      )
    }
    return v
  }

  static func readModel(_ value: JSONValue, _ r: JSONFieldReader) throws(ConfigError) -> Model {
    let p = "model"
    let m = try r.object(
      value, at: p,
      keys: ["name", "source", "path", "operators", "lowering", "workload", "precision"],
      what: "an object describing the model")
    func field(_ key: String, _ expected: String) throws(ConfigError) -> JSONValue {
      try r.member(m, key, at: p, expected: expected)
    }
    return Model(
      name: try r.string(try field("name", "a string"), at: "model.name"),
      source: try r.choice(
        try field("source", "zoo or onnx"), at: "model.source", ["zoo", "onnx"]),
      path: try r.optional(m, "path", at: p) { v, q throws(ConfigError) in try r.string(v, at: q) },
      operators: try r.integer(
        try field("operators", "a count"), at: "model.operators", in: 0...Int.max,
        expected: "a count ≥ 0"),
      lowering: Lowering(
        rawValue: try r.choice(
          try field("lowering", "deployment or none"), at: "model.lowering",
          Lowering.allCases.map(\.rawValue)))
        ?? .deployment,
      workload: try readWorkload(try field("workload", "an object with phase and batch"), r),
      precision: try readPrecision(
        try field("precision", "an object with name, weightBits, activationBits"), r))
  }

  static func readWorkload(_ value: JSONValue, _ r: JSONFieldReader) throws(ConfigError)
    -> WorkloadParameters
  {
    let p = "model.workload"
    let w = try r.object(
      value, at: p, keys: ["phase", "batch", "sequenceLength", "contextLength", "imageSize"],
      what: "an object with phase and batch")
    func size(_ v: JSONValue, _ q: String) throws(ConfigError) -> Int {
      try r.integer(v, at: q, in: 1...Int.max, expected: "an integer ≥ 1")
    }
    let phase = try r.choice(
      try r.member(w, "phase", at: p, expected: "a phase"), at: p + ".phase",
      Phase.allCases.map(\.rawValue))
    return WorkloadParameters(
      phase: Phase(rawValue: phase) ?? .inference,
      batch: try size(try r.member(w, "batch", at: p, expected: "an integer ≥ 1"), p + ".batch"),
      sequenceLength: try r.optional(w, "sequenceLength", at: p, size),
      contextLength: try r.optional(w, "contextLength", at: p, size),
      imageSize: try r.optional(w, "imageSize", at: p, size))
  }

  static func readPrecision(_ value: JSONValue, _ r: JSONFieldReader) throws(ConfigError)
    -> PrecisionInfo
  {
    let p = "model.precision"
    let o = try r.object(
      value, at: p, keys: ["name", "weightBits", "activationBits"],
      what: "an object with name, weightBits, activationBits")
    func bits(_ key: String) throws(ConfigError) -> Int {
      try r.integer(
        try r.member(o, key, at: p, expected: "bits in 1…64"), at: p + "." + key, in: 1...64,
        expected: "bits in 1…64")
    }
    var info = PrecisionInfo(
      Precision(weightBits: try bits("weightBits"), activationBits: try bits("activationBits")))
    info.name = try r.string(
      try r.member(o, "name", at: p, expected: "a string such as int8"), at: p + ".name")
    return info
  }

  static func readArchitecture(_ value: JSONValue, _ r: JSONFieldReader) throws(ConfigError)
    -> ArchitectureInfo
  {
    let p = "architecture"
    let a = try r.object(
      value, at: p, keys: ["name", "tiers"], what: "an object with name and tiers")
    let name = try r.string(try r.member(a, "name", at: p, expected: "a string"), at: p + ".name")
    let list = try r.array(
      try r.member(a, "tiers", at: p, expected: "the tiers in order"), at: p + ".tiers",
      expected: "the tiers in order")
    guard !list.isEmpty else {
      throw r.error(p + ".tiers", "empty", expected: "at least one tier (id and kind)")
    }
    var tiers: [ArchitectureInfo.Tier] = []
    for (i, v) in list.enumerated() {
      let q = "\(p).tiers[\(i)]"
      let t = try r.object(v, at: q, keys: ["id", "kind"], what: "an object with id and kind")
      let id = try r.string(try r.member(t, "id", at: q, expected: "a tier id"), at: q + ".id")
      guard !id.isEmpty, !tiers.contains(where: { $0.id == id }) else {
        throw r.error(
          q + ".id", id.isEmpty ? "empty" : "\"\(id)\" a second time",
          expected: "a unique, non-empty tier id")
      }
      let kind = try r.choice(
        try r.member(t, "kind", at: q, expected: "a tier kind"), at: q + ".kind",
        TierKind.allCases.map(\.rawValue))
      tiers.append(ArchitectureInfo.Tier(id: id, kind: TierKind(rawValue: kind) ?? .digital))
    }
    return ArchitectureInfo(name: name, tiers: tiers)
  }

  static func readOperator(
    _ value: JSONValue, at p: String, tierIDs: [String], hasDigitalTier: Bool, version: Int, _ r: JSONFieldReader
  ) throws(ConfigError) -> OperatorEntry {
    let o = try r.object(value, at: p, what: "an object with name, shares and axis")
    let name = try r.string(
      try r.member(o, "name", at: p, expected: "the operator's name"), at: p + ".name",
      expected: "the operator's name (a string)")
    guard !name.isEmpty else {
      throw r.error(p + ".name", "empty", expected: "the operator's name")
    }
    let q = "\(p)(\(name))"
    for key in ["rowOrder", "arrays"] where version < 2 && o[key] != nil {
      throw r.error(
        q + "." + key, "in a version-1 file", expected: "rowOrder and arrays only with schemaVersion 2",
        hint: "set schemaVersion to 2, or drop \(key)")
    }
    try r.checkKeys(o, at: q, keys: version < 2 ? ["name", "shares", "axis"] : ["name", "shares", "axis", "rowOrder", "arrays"])
    let axis =
      SplitAxis(
        rawValue: try r.choice(
          try r.member(o, "axis", at: q, expected: "m, n or k"), at: q + ".axis",
          SplitAxis.allCases.map(\.rawValue)))
      ?? .n
    let list = try r.array(
      try r.member(o, "shares", at: q, expected: "a non-empty array of {tier, fraction}"),
      at: q + ".shares",
      expected: "a non-empty array of {tier, fraction}")
    guard !list.isEmpty else {
      throw r.error(
        q + ".shares", "empty", expected: "at least one share {tier, fraction}",
        hint: "an operator must run somewhere")
    }
    var shares: [Share] = []
    for (j, v) in list.enumerated() {
      let s = "\(q).shares[\(j)]"
      let members = try r.object(
        v, at: s, keys: ["tier", "fraction"], what: "an object with tier and fraction")
      let tier = try r.string(
        try r.member(members, "tier", at: s, expected: "a tier id"), at: s + ".tier")
      guard tierIDs.contains(tier) else {
        let near =
          NearestName.suggestion(for: tier, among: tierIDs).map { "did you mean \($0)? " } ?? ""
        throw r.error(
          s + ".tier", "tier \"\(tier)\" is not one of the file's architecture.tiers",
          expected: "one of \(tierIDs.joined(separator: ", "))",
          hint: near + "shares name tiers listed in architecture.tiers")
      }
      let fraction = try r.number(
        try r.member(members, "fraction", at: s, expected: "a fraction in (0, 1]"),
        at: s + ".fraction",
        expected: "a finite fraction in (0, 1]")
      guard fraction > 0, fraction <= 1 else {
        throw r.error(
          s + ".fraction", "\(fraction)", expected: "a fraction in (0, 1]",
          hint: "leave a tier out instead of giving it a share of 0")
      }
      shares.append(Share(tier: tier, fraction: fraction))
    }
    let total = shares.reduce(0) { $0 + $1.fraction }
    guard abs(total - 1) <= fractionTolerance else {
      throw r.error(
        q + ".shares", "fractions add up to \(total)", expected: "1 (within \(fractionTolerance))",
        hint: "the shares divide the whole operator; scale them so that they add up to 1")
    }
    var entry = OperatorEntry(name: name, shares: shares, axis: axis)
    entry.rowOrder = try r.optional(o, "rowOrder", at: q) { v, path throws(ConfigError) in
      try readRowOrder(v, at: path, entry: entry, r)
    }
    entry.arrays = try r.optional(o, "arrays", at: q) { v, path throws(ConfigError) in
      try readArrays(v, at: path, entry: entry, r)
    }
    if shares.count > 1, axis == .k, !hasDigitalTier {
      let why = SplitRule.kSplitWithoutDigitalTier
      throw r.error(
        q + ".axis", "k: \(why.statement)", expected: why.expected,
        hint: why.levers.joined(separator: ", or "))
    }
    return entry
  }

  /// How far the fractions of an operator may add up from 1 (as ``MappingPlan/problems``).
  public static let fractionTolerance = 1e-9
}
