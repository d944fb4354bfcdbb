import Foundation
import HybrixCore
import HybrixNumerics
import Testing
import struct Workloads.ONNXProgram

@testable import Execution

/// Reference data of one ONNX test case: a model directory with `test_data_set_0/input_*.pb`
/// and `output_*.pb`, or a fixture model with `NAME.input_0.pb` / `NAME.output_0.pb`.
struct ONNXReferenceCase {
  /// Element types a case may use: FLOAT for data, INT64/INT32 for shapes and indices.
  static let runnableTypes: Set<Int32> = [1, 6, 7]

  /// Tolerance: |actual − expected| ≤ 1e-4 · max(1, |expected|); integers must be equal;
  /// NaN matches NaN and infinities match exactly.
  static let tolerance: Float = 1e-4

  var inputs: [String: ONNXValue]
  var expected: [(name: String, value: ONNXValue)]

  /// Reads input and output files and binds them to the program's graph inputs and outputs,
  /// by the tensor name stored in the file, else by position.
  init(program: ONNXProgram, inputFiles: [String], outputFiles: [String]) throws {
    inputs = [:]
    for (i, path) in inputFiles.enumerated() {
      let t = try ONNXProgram.loadTensor(path: path)
      let name = program.inputs.contains { $0.name == t.name } ? t.name : program.inputs[i].name
      inputs[name] = try ONNXValue(t)
    }
    expected = []
    for (i, path) in outputFiles.enumerated() {
      let t = try ONNXProgram.loadTensor(path: path)
      let name = program.outputs.contains { $0.name == t.name } ? t.name : program.outputs[i].name
      expected.append((name, try ONNXValue(t)))
    }
  }

  /// `nil` when `actual` matches `expected`, else what differs first.
  static func difference(_ actual: ONNXValue?, _ expected: ONNXValue) -> String? {
    guard let actual else { return "no value" }
    guard actual.shape == expected.shape else { return "shape \(actual.shape), expected \(expected.shape)" }
    switch (actual, expected) {
    case (.int(_, let a), .int(_, let b)):
      if let i = a.indices.first(where: { a[$0] != b[$0] }) { return "element \(i): \(a[i]), expected \(b[i])" }
    case (.float(let a), .float(let b)):
      for (i, (x, y)) in zip(a.scalars, b.scalars).enumerated() {
        if x.isNaN && y.isNaN { continue }
        if y.isInfinite || x.isInfinite {
          if x != y { return "element \(i): \(x), expected \(y)" }
          continue
        }
        if !(abs(x - y) <= tolerance * max(1, abs(y))) { return "element \(i): \(x), expected \(y)" }
      }
    default: return "element kind differs (float vs integer)"
    }
    return nil
  }

  /// Runs `executor` and returns the mismatches, one line per output.
  func check(_ executor: inout ONNXExecutor) throws -> [String] {
    let outputs = try executor.run(inputs)
    return expected.compactMap { name, value in
      Self.difference(outputs[name], value).map { "output '\(name)': \($0)" }
    }
  }
}

/// Runs every `node/` case of Debian's `libonnx-testdata` that the executor can run and
/// compares each output with the expected `.pb`, with ``ONNXReferenceCase/tolerance``.
///
/// A case is skipped, counted by reason, when it uses an operator the executor does not
/// implement, a training-mode variant, an element type other than FLOAT (data) and
/// INT64/INT32 (shapes, indices), or more than 4 MB of test data ("too large").
@Suite struct ONNXNodeConformanceTests {
  static let root = "/usr/share/libonnx-testdata/data/node"
  static let present = FileManager.default.fileExists(atPath: root)
  static let onCI = ProcessInfo.processInfo.environment["CI"] != nil
  /// Fewer cases than this means the suite stopped running cases, not that all passed.
  static let minimumRun = 480

  /// Why a case cannot run, or `nil`.
  static func skipReason(_ program: ONNXProgram, dataBytes: Int) -> String? {
    if let node = program.nodes.first(where: {
      !$0.domain.isEmpty || !ONNXExecutor.supportedOperators.contains($0.opType)
    }) {
      return "unsupported operator"
        + (node.domain.isEmpty ? "" : " (domain \(node.domain))") + ": \(node.opType)"
    }
    if program.nodes.contains(where: { ONNXExecutor.unsupportedFeature($0) != nil }) {
      return "training-mode variant"
    }
    for info in program.inputs + program.outputs where !ONNXReferenceCase.runnableTypes.contains(info.elementType) {
      return "element type \(ONNXProgram.elementTypeName(info.elementType))"
    }
    if dataBytes > 4_000_000 { return "too large" }
    return nil
  }

  static func files(_ dir: String, prefix: String) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
    let matching = names.filter { $0.hasPrefix(prefix) && $0.hasSuffix(".pb") }
    // input_10.pb sorts after input_9.pb.
    return matching.sorted {
      (Int($0.dropFirst(prefix.count).dropLast(3)) ?? 0) < (Int($1.dropFirst(prefix.count).dropLast(3)) ?? 0)
    }.map { dir + "/" + $0 }
  }

  @Test(
    .enabled(
      if: present || onCI,
      "libonnx-testdata is not installed here (apt-get install libonnx-testdata); CI requires it"))
  func supportedNodeTestsReproduceTheExpectedOutputs() throws {
    guard Self.present else {
      Issue.record("\(Self.root) is missing: run `apt-get install libonnx-testdata` (scripts/install-deps test)")
      return
    }
    let cases = try FileManager.default.contentsOfDirectory(atPath: Self.root).sorted()
    var (run, passed) = (0, 0)
    var skipped: [String: Int] = [:]
    var failures: [String] = []
    for name in cases {
      let dir = Self.root + "/" + name
      let data = dir + "/test_data_set_0"
      let program: ONNXProgram
      do { program = try ONNXProgram.load(path: dir + "/model.onnx") } catch {
        failures.append("\(name): cannot read the model: \(error)")
        continue
      }
      let inputs = Self.files(data, prefix: "input_")
      let outputs = Self.files(data, prefix: "output_")
      let bytes = (inputs + outputs).reduce(0) {
        $0 + ((try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int) ?? 0)
      }
      if let reason = Self.skipReason(program, dataBytes: bytes) {
        skipped[reason.hasPrefix("unsupported operator") ? "unsupported operator" : reason, default: 0] += 1
        continue
      }
      run += 1
      do {
        var executor = try ONNXExecutor(program: program)
        let reference = try ONNXReferenceCase(program: program, inputFiles: inputs, outputFiles: outputs)
        let problems = try reference.check(&executor)
        if problems.isEmpty {
          passed += 1
        } else {
          failures.append("\(name): \(problems.joined(separator: "; "))")
        }
      } catch {
        failures.append("\(name): \(error)")
      }
    }
    let skipList = skipped.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }
    print("ONNX node tests: \(run) run, \(passed) passed, \(cases.count - run) skipped (\(skipList.joined(separator: ", ")))")
    #expect(run >= Self.minimumRun, "only \(run) node tests ran")
    #expect(failures.count == 0, "node tests failed:\n\(failures.joined(separator: "\n"))")
  }
}
