import Foundation
import Hardware
import HybrixCore
import Yams

/// An architecture (a preset or a YAML file) as the node tree of its YAML, to which a sweep point
/// applies parameter overrides such as `tiers.reram0.adc_bits: 7`.
///
/// The base is written with ``ArchitectureWriter`` and every variant is loaded back with
/// ``ArchitectureLoader``, so an override goes through the same validation as a user's YAML file:
/// a value that makes the spec invalid gives the loader's error, with its path.
///
/// Paths: `tiers.<id>.<key>` (or `tiers[<i>].<key>`), `memory.<key>`, `links[<i>].<key>`, and
/// deeper keys below them (`tiers.host.energy.mac`). A quantity written as
/// `{value: …, source: …}` takes the new value in `value`, and its source becomes
/// ``overrideSource``.
public struct ArchitectureTemplate: @unchecked Sendable {
  // @unchecked: `root` is an immutable YAML tree (Yams' Node holds immutable tag objects).
  /// What the plan called it: a preset name or the path of a YAML file.
  public let label: String
  public let base: Architecture
  let root: Node

  /// The source a swept quantity is given in place of its published one.
  public static let overrideSource = "swept by a hybrix sweep parameter"

  enum Step: Hashable { case key(String), index(Int) }

  public init(label: String, architecture: Architecture) throws(ConfigError) {
    self.label = label
    base = architecture
    do {
      guard let node = try Yams.compose(yaml: try ArchitectureWriter.yaml(architecture)) else {
        throw ConfigError(message: "empty YAML")
      }
      root = node
    } catch {
      throw ConfigError(file: label, message: "cannot write the architecture as YAML: \(error)")
    }
  }

  /// The template of the preset `name`, built once per process (a preset cannot change while it
  /// runs; a YAML file can, and is read again by each plan).
  static func preset(named name: String) throws(ConfigErrors) -> ArchitectureTemplate {
    if let hit = presetCache.withLock({ $0[name] }) { return hit }
    let template: ArchitectureTemplate
    do { template = try ArchitectureTemplate(label: name, architecture: try PresetRegistry.architecture(named: name)) } catch let e as ConfigErrors {
      throw e
    } catch let e as ConfigError {
      throw ConfigErrors([e])
    } catch {
      throw ConfigErrors([ConfigError(message: "\(error)")])
    }
    presetCache.withLock { $0[name] = template }
    return template
  }

  private static let presetCache = LockedValue<[String: ArchitectureTemplate]>([:])

  /// The steps that `path` takes through the YAML tree, or an error naming the nearest field.
  func steps(_ path: String) throws(ConfigError) -> [Step] {
    var steps: [Step] = []
    var node = root
    var walked = ""
    var parts = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    // `tiers[2]` is written as one part: split the index off.
    parts = parts.flatMap { part -> [String] in
      guard let open = part.firstIndex(of: "["), part.hasSuffix("]") else { return [part] }
      return [String(part[..<open]), String(part[open...])].filter { !$0.isEmpty }
    }
    guard !parts.isEmpty, !parts.contains(where: \.isEmpty) else {
      throw ConfigError(path: path, message: "empty parameter path", expected: "e.g. tiers.reram0.adc_bits")
    }
    for (i, part) in parts.enumerated() {
      let isLast = i == parts.count - 1
      switch node {
      case .sequence(let sequence):
        let index: Int?
        if part.hasPrefix("["), let n = Int(part.dropFirst().dropLast()) {
          index = sequence.indices.contains(n) ? n : nil
        } else {
          index = sequence.firstIndex { $0["id"]?.string == part }
        }
        guard let index else {
          let ids = sequence.compactMap { $0["id"]?.string }
          throw ConfigError(
            path: path, message: "\(walked) has no entry \"\(part)\"",
            expected: ids.isEmpty
              ? "an index [0…\(sequence.count - 1)]" : "a tier id (\(ids.joined(separator: ", "))) or [index]",
            hint: NearestName.suggestion(for: part, among: ids).map { "did you mean \(walked).\($0)?" })
        }
        steps.append(.index(index))
        node = sequence[index]
        walked += part.hasPrefix("[") ? "[\(index)]" : ".\(part)"
      case .mapping(let mapping):
        let present: [String] = mapping.keys.compactMap(\.string)
        let allowed = Self.allowedKeys(at: steps, in: root, node: node) ?? present
        guard present.contains(part) || (isLast && allowed.contains(part)) else {
          let candidates = Array(Set(present + allowed)).sorted()
          throw ConfigError(
            path: path,
            message: "\(walked.isEmpty ? "the architecture" : walked) has no field \"\(part)\"",
            expected: "one of \(candidates.joined(separator: ", "))",
            hint: NearestName.suggestion(for: part, among: candidates)
              .map { "did you mean \(walked.isEmpty ? "" : walked + ".")\($0)?" })
        }
        steps.append(.key(part))
        node = mapping[part] ?? Node("")
        walked += walked.isEmpty ? part : ".\(part)"
      default:
        throw ConfigError(
          path: path, message: "\(walked) is a value, not a group of fields",
          expected: "a path that ends at \(walked)")
      }
    }
    if case .sequence = node {
      throw ConfigError(path: path, message: "\(walked) is a list", expected: "a path to one field inside it")
    }
    return steps
  }

  /// The keys a spec accepts at a mapping reached by `steps`, where the schema knows them (a
  /// tier's fields, the memory's), so that an optional field the preset leaves out can be set.
  static func allowedKeys(at steps: [Step], in root: Node, node: Node) -> [String]? {
    if steps.count == 2, steps[0] == .key("tiers"), let kindText = node["kind"]?.string,
      let kind = TierKind(rawValue: kindText), let type = TierRegistry.type(for: kind)
    {
      return spec(of: type).allKeys
    }
    if steps == [.key("memory")] { return MemorySpec.CodingKeys.allCases.map(\.rawValue) }
    return nil
  }

  private static func spec<T: HardwareTier>(of type: T.Type) -> any TierSpec.Type { T.Spec.self }

  /// The architecture with `overrides` (path → YAML scalar) applied, loaded and validated as a
  /// user's file would be. Paths are checked first with ``steps(_:)``.
  public func applying(_ overrides: [(path: String, value: String)]) throws(ConfigErrors) -> Architecture {
    guard !overrides.isEmpty else { return base }
    var tree = root
    for (path, value) in overrides {
      let steps: [Step]
      do { steps = try self.steps(path) } catch { throw ConfigErrors([error]) }
      tree = Self.setting(Node(value), at: steps[...], in: tree)
    }
    let description = overrides.map { "\($0.path)=\($0.value)" }.joined(separator: ", ")
    return try ArchitectureLoader.load(node: tree, file: "\(label) with \(description)")
  }

  static func setting(_ value: Node, at steps: ArraySlice<Step>, in node: Node) -> Node {
    guard let step = steps.first else {
      // A quantity with its source: change the value, and say where the new one came from.
      if case .mapping(var quantity) = node, quantity["value"] != nil, value.mapping == nil {
        quantity["value"] = value
        quantity["source"] = Node(overrideSource)
        quantity["assumed"] = nil
        return .mapping(quantity)
      }
      return value
    }
    var copy = node
    switch (step, node) {
    case (.index(let i), .sequence(var sequence)):
      sequence[i] = setting(value, at: steps.dropFirst(), in: sequence[i])
      copy = .sequence(sequence)
    case (.key(let k), .mapping(var mapping)):
      mapping[k] = setting(value, at: steps.dropFirst(), in: mapping[k] ?? Node(""))
      copy = .mapping(mapping)
    default: break
    }
    return copy
  }
}

/// A value under a lock.
final class LockedValue<Value>: @unchecked Sendable {
  // @unchecked: `value` is read and written under `lock` only.
  private let lock = NSLock()
  private var value: Value
  init(_ value: Value) { self.value = value }
  func withLock<T>(_ body: (inout Value) -> T) -> T {
    lock.lock()
    defer { lock.unlock() }
    return body(&value)
  }
}
