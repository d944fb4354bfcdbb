import Foundation
import Hardware
import HybrixCore
import Reports
import Search
import Workloads

/// One run of a sweep: a workload, a precision, an architecture after its parameter overrides,
/// a strategy and an objective — and the content hash that keys its row in the store.
public struct SweepPoint: Sendable {
  /// Its place in the plan's cross product (workloads slowest, objectives fastest).
  public var index: Int
  public var workload: WorkloadRequest
  public var precision: Precision
  /// The preset name or file the plan names.
  public var architectureLabel: String
  public var parameters: [ParameterSetting]
  /// The architecture after the overrides, or why the overrides make it invalid.
  public var architecture: Result<Architecture, ConfigErrors>
  public var strategy: String
  /// What the strategy minimises, as `hybrix map --objective` takes it (`latency`, `energy,latency`).
  public var objective: String
  /// Seed of the strategy's random choices (`hybrix map --seed`).
  public var seed: UInt64
  public var baselines: Bool
  /// SHA-256 of (workload, precision, architecture spec after overrides, strategy, objective,
  /// options, tool version): see ``PointIdentity``.
  public var hash: String
}

/// One swept field set to one value.
public struct ParameterSetting: Hashable, Sendable, Codable {
  public var path: String
  public var value: String
}

/// What a point's content hash covers, encoded as JSON with sorted keys and hashed.
///
/// The architecture enters as its full spec (the YAML that ``ArchitectureWriter`` writes after
/// the overrides), so two spellings of one chip share a key and any change to a spec field
/// makes a new one; an ONNX workload enters with the SHA-256 of its file's bytes.
struct PointIdentity: Encodable {
  var workload: WorkloadRequest
  var onnxSHA256: String?
  var precision: String
  var architecture: String
  var strategy: String
  var objective: String
  var seed: UInt64
  var baselines: Bool
  var toolVersion: String

  var hash: String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let data = (try? encoder.encode(self)) ?? Data()
    return SHA256.hex(data)
  }
}

extension SweepPlan {
  /// Every point of the plan, in a fixed order: workloads × precisions × architecture variants
  /// (first parameter slowest) × strategies × objectives. Each architecture variant is built
  /// and validated once.
  public func points() -> [SweepPoint] {
    var onnxDigests: [String: String] = [:]
    for w in workloads where w.isONNX && onnxDigests[w.model] == nil {
      onnxDigests[w.model] = FileManager.default.contents(atPath: w.model).map { SHA256.hex($0) } ?? "unreadable"
    }
    let variants = architectures.map { entry in
      Self.settings(entry.parameters).map { settings in
        let pairs = settings.map { (path: $0.path, value: $0.value) }
        let result = Result { () throws(ConfigErrors) in try entry.template.applying(pairs) }
        let spec: String
        switch result {
        case .success(let a): spec = (try? ArchitectureWriter.yaml(a)) ?? entry.template.label
        case .failure:
          spec = entry.template.label + " invalid with " + settings.map { "\($0.path)=\($0.value)" }.joined(separator: ",")
        }
        return (entry.template.label, settings, result, spec)
      }
    }
    var points: [SweepPoint] = []
    for workload in workloads {
      for precision in precisions {
        for archVariants in variants {
          for (label, settings, architecture, spec) in archVariants {
            for strategy in strategies {
              for objective in objectives {
                let identity = PointIdentity(
                  workload: workload, onnxSHA256: onnxDigests[workload.model], precision: precision.description,
                  architecture: spec, strategy: strategy, objective: objective, seed: seed, baselines: baselines,
                  toolVersion: HybrixVersion.current)
                points.append(
                  SweepPoint(
                    index: points.count, workload: workload, precision: precision, architectureLabel: label,
                    parameters: settings, architecture: architecture, strategy: strategy, objective: objective,
                    seed: seed, baselines: baselines, hash: identity.hash))
              }
            }
          }
        }
      }
    }
    return points
  }

  /// The cross product of the parameters' values, first parameter slowest.
  static func settings(_ parameters: [Parameter]) -> [[ParameterSetting]] {
    parameters.reduce([[]]) { partial, parameter in
      partial.flatMap { prefix in parameter.values.map { prefix + [ParameterSetting(path: parameter.path, value: $0)] } }
    }
  }
}
