import Foundation
import HybrixCore
import Yams

/// Reads an architecture from YAML in three steps [ZigZag validator → factory]: check every key
/// against the schema, decode each part into its spec, then validate and build the tiers —
/// collecting every error with its file, line and path instead of stopping at the first.
///
/// ```yaml
/// version: 1
/// name: my_chip
/// tiers:
///   - {id: sa0, kind: digital, count: 1, rows: 128, ...}
/// memory: {dram_bandwidth: {value: "64 GB/s", source: "..."}, ...}
/// links:
///   - {from: sa0, to: pcm0, bandwidth: {value: "256 GB/s", source: "..."}, energy: {...}}
/// ```
public enum ArchitectureLoader {
  static let topKeys = ["version", "name", "description", "tiers", "memory", "links"]

  /// Loads the architecture file at `path`.
  public static func load(path: String) throws(ConfigErrors) -> Architecture {
    guard FileManager.default.fileExists(atPath: path) else {
      throw ConfigErrors([
        ConfigError(
          file: path, message: "no such file", expected: "a YAML architecture file or a preset name",
          hint: "`hybrix archs` lists the presets"),
      ])
    }
    guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
    else {
      throw ConfigErrors([ConfigError(file: path, message: "cannot read the file as UTF-8 text")])
    }
    return try load(yaml: text, file: path)
  }

  /// Loads an architecture from YAML text; `file` names it in errors.
  public static func load(yaml: String, file: String) throws(ConfigErrors) -> Architecture {
    let root: Node
    do {
      guard let node = try Yams.compose(yaml: yaml) else {
        throw ConfigErrors([ConfigError(file: file, message: "the file is empty", expected: "a YAML mapping with version: 1")])
      }
      root = node
    } catch let e as ConfigErrors {
      throw e
    } catch {
      throw ConfigErrors([ConfigError(file: file, message: "not valid YAML: \(error)")])
    }
    return try load(node: root, file: file)
  }

  /// Loads an architecture from a composed YAML node tree (as a sweep edits one); `file` names it
  /// in errors. Every check of ``load(yaml:file:)`` applies.
  public static func load(node root: Node, file: String) throws(ConfigErrors) -> Architecture {
    var errors: [ConfigError] = []
    guard let top = root.mapping else {
      throw ConfigErrors([ConfigError(file: file, message: "the top level is not a mapping", expected: "keys version, name, tiers, memory, links")])
    }
    errors += unknownKeys(top, allowed: topKeys, path: "")
    let version = top["version"]?.int
    if version != 1 {
      errors.append(ConfigError(path: "version", message: "version \(top["version"]?.string ?? "missing")", expected: "version: 1"))
    }
    let name = top["name"]?.string ?? file
    let description = top["description"]?.string ?? ""

    var tiers: [any HardwareTier] = []
    if let seq = top["tiers"]?.sequence, !seq.isEmpty {
      for (i, node) in seq.enumerated() {
        do { tiers.append(try tier(node, path: "tiers[\(i)]")) } catch { errors += error.errors }
      }
    } else {
      errors.append(ConfigError(path: "tiers", message: "no tiers", expected: "a list of at least one tier"))
    }
    var seen = Set<String>()
    for (i, t) in tiers.enumerated() where !seen.insert(t.id).inserted {
      errors.append(ConfigError(path: "tiers[\(i)].id", message: "duplicate tier id \"\(t.id)\"", expected: "unique ids"))
    }

    var memory: MemorySpec?
    if let node = top["memory"] {
      errors += unknownKeys(node.mapping, allowed: MemorySpec.CodingKeys.allCases.map(\.rawValue), path: "memory")
      do {
        let m = try decode(MemorySpec.self, node, path: "memory")
        errors += m.validate().map { $0.underPath("memory") }
        memory = m
      } catch { errors += error.errors }
    } else {
      errors.append(ConfigError(path: "memory", message: "missing", expected: "dram_bandwidth, dram_energy, global_buffer, global_buffer_bandwidth, global_buffer_energy"))
    }

    var links: [LinkSpec] = []
    for (i, node) in (top["links"]?.sequence ?? Node.Sequence()).enumerated() {
      let path = "links[\(i)]"
      errors += unknownKeys(node.mapping, allowed: LinkSpec.CodingKeys.allCases.map(\.rawValue), path: path)
      do {
        let link = try decode(LinkSpec.self, node, path: path)
        for (key, id) in [("from", link.from), ("to", link.to)] where !tiers.contains(where: { $0.id == id }) {
          errors.append(
            ConfigError(
              path: "\(path).\(key)", message: "no tier \"\(id)\"",
              expected: "one of \(tiers.map(\.id).joined(separator: ", "))",
              hint: NearestName.suggestion(for: id, among: tiers.map(\.id)).map { "did you mean \($0)?" }))
        }
        if link.bandwidth.value.baseValue <= 0 {
          errors.append(ConfigError(path: "\(path).bandwidth", message: "\(link.bandwidth.value)", expected: "a positive bandwidth"))
        }
        links.append(link)
      } catch { errors += error.errors }
    }

    guard errors.isEmpty, let memory else { throw ConfigErrors(errors.map { $0.inFile(file) }) }
    return Architecture(name: name, description: description, tiers: tiers, memory: memory, links: links, origin: file)
  }

  /// Decodes and validates one tier of any registered kind.
  static func tier(_ node: Node, path: String) throws(ConfigErrors) -> any HardwareTier {
    guard let map = node.mapping else {
      throw ConfigErrors([ConfigError(path: path, message: "not a mapping", expected: "a tier with id, kind, …")])
    }
    let kinds = TierKind.allCases.map(\.rawValue)
    guard let kindText = map["kind"]?.string else {
      throw ConfigErrors([ConfigError(path: "\(path).kind", message: "missing", expected: kinds.joined(separator: ", "))])
    }
    guard let kind = TierKind(rawValue: kindText), let type = TierRegistry.type(for: kind) else {
      throw ConfigErrors([
        ConfigError(
          path: "\(path).kind", message: "unknown tier kind \"\(kindText)\"", expected: kinds.joined(separator: ", "),
          hint: NearestName.suggestion(for: kindText, among: kinds).map { "did you mean \($0)?" }),
      ])
    }
    let id = map["id"]?.string.map { " (\($0))" } ?? ""
    return try build(type, node, path: path + id)
  }

  static func build<T: HardwareTier>(_ type: T.Type, _ node: Node, path: String) throws(ConfigErrors)
    -> any HardwareTier
  {
    var errors = unknownKeys(node.mapping, allowed: T.Spec.allKeys, path: path)
    do {
      let spec = try decode(T.Spec.self, node, path: path)
      do { return try T(spec: spec) } catch { errors += error.errors.map { $0.underPath(path) } }
    } catch { errors += error.errors }
    throw ConfigErrors(errors)
  }

  /// Errors for keys of `map` that are not in `allowed`, with the nearest valid key as a hint.
  static func unknownKeys(_ map: Node.Mapping?, allowed: [String], path: String) -> [ConfigError] {
    guard let map else { return [] }
    var errors: [ConfigError] = []
    for (key, _) in map {
      guard let k = key.string, !allowed.contains(k) else { continue }
      let line = key.mark.map { " (line \($0.line))" } ?? ""
      errors.append(
        ConfigError(
          path: path.isEmpty ? k : "\(path).\(k)", message: "unknown key \"\(k)\"\(line)",
          expected: "one of \(allowed.joined(separator: ", "))",
          hint: NearestName.suggestion(for: k, among: allowed).map { "did you mean \($0)?" }))
    }
    return errors
  }

  /// Decodes `node` as `T`, turning decoding failures into errors with paths.
  static func decode<T: Decodable>(_ type: T.Type, _ node: Node, path: String) throws(ConfigErrors) -> T {
    do {
      return try YAMLDecoder().decode(T.self, from: node)
    } catch let error as ConfigError {
      throw ConfigErrors([error.underPath(path)])
    } catch let error as DecodingError {
      throw ConfigErrors([configError(error, path: path)])
    } catch {
      throw ConfigErrors([ConfigError(path: path, message: "\(error)")])
    }
  }

  static func configError(_ error: DecodingError, path: String) -> ConfigError {
    func join(_ keys: [any CodingKey]) -> String {
      keys.reduce(path) { p, k in
        if let i = k.intValue { return "\(p)[\(i)]" }
        return p.isEmpty ? k.stringValue : "\(p).\(k.stringValue)"
      }
    }
    switch error {
    case .keyNotFound(let key, let ctx):
      return ConfigError(path: join(ctx.codingPath + [key]), message: "missing", expected: "a value for \(key.stringValue)")
    case .typeMismatch(let type, let ctx):
      return ConfigError(path: join(ctx.codingPath), message: "wrong type", expected: "\(type)")
    case .valueNotFound(let type, let ctx):
      return ConfigError(path: join(ctx.codingPath), message: "no value", expected: "\(type)")
    case .dataCorrupted(let ctx):
      return ConfigError(path: join(ctx.codingPath), message: ctx.debugDescription)
    @unknown default:
      return ConfigError(path: path, message: "\(error)")
    }
  }
}
