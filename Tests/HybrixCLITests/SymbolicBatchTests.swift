import HybrixCLI
import Foundation
import Reports
import Testing

/// Issue 8 §2: `inspect` and `map` demanded `--dim N=1` for a symbolic batch dimension while
/// `accuracy` bound it silently. One rule now: a symbolic *leading* (batch) dimension of the
/// graph inputs takes `--batch` (default 1), the output says so, `--dim` binds the other symbols
/// and wins for the batch symbol too.
@Suite struct SymbolicBatchTests {
  static func fixture(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fixtures/onnx/\(name)").path
  }

  /// small_cnn.onnx takes x[N, 3, 32, 32]; 516 256 MACs per image (the fixture script's
  /// hand count: conv1 221 184 + conv2 294 912 + fc 160).
  static let smallCNNMACsPerImage = 516_256

  static func inspect(_ args: [String]) async throws -> InspectReport {
    let r = await runHybrix(["inspect"] + args + ["--json"])
    #expect(r.exitCode == 0, "\(args): \(r.standardError)")
    return try JSONDecoder().decode(InspectReport.self, from: Data(r.standardOutput.utf8))
  }

  @Test(arguments: [
    ([String](), 1, "bound symbolic batch dimension N to --batch 1"),
    (["--batch", "4"], 4, "bound symbolic batch dimension N to --batch 4"),
    (["--dim", "N=2"], 2, nil),
    (["--dim", "N=2", "--batch", "4"], 2, "--batch 4 is ignored"),
  ] as [([String], Int, String?)])
  func inspectBindsTheBatchToBatch(_ extra: [String], _ batch: Int, _ warning: String?) async throws {
    let report = try await Self.inspect([Self.fixture("small_cnn.onnx")] + extra)
    #expect(report.totals.macs == batch * Self.smallCNNMACsPerImage)
    #expect(report.workload.batch == batch)
    if let warning {
      #expect(report.warnings.contains { $0.contains(warning) }, "\(report.warnings)")
    } else {
      #expect(!report.warnings.contains { $0.contains("batch") }, "\(report.warnings)")
    }
  }

  /// The text output carries the same warning; `map` binds the batch the same way.
  @Test func textAndMapSayWhatWasBound() async throws {
    let text = await runHybrix(["inspect", Self.fixture("small_cnn.onnx")])
    #expect(text.exitCode == 0, "\(text.standardError)")
    #expect(text.standardOutput.contains("warning: bound symbolic batch dimension N to --batch 1"))
    let map = await runHybrix(["map", Self.fixture("small_cnn.onnx"), "--batch", "2", "--json"])
    #expect(map.exitCode == 0, "\(map.standardError)")
    let report = try JSONDecoder().decode(MapReport.self, from: Data(map.standardOutput.utf8))
    #expect(report.workload.batch == 2)
    #expect(report.warnings.contains("bound symbolic batch dimension N to --batch 2"), "\(report.warnings)")
  }

  /// Only the leading dimension is the batch: transformer_block.onnx takes ids[batch, seq], so
  /// `seq` still needs --dim (one clear error naming it), and then the MACs are the fixture's
  /// hand count 2048·b·s + 32·b·s² (36 864 for b = 2, s = 8).
  @Test func otherSymbolsStillNeedDim() async throws {
    let path = Self.fixture("transformer_block.onnx")
    for command in ["inspect", "map"] {
      let r = await runHybrix([command, path, "--batch", "2"])
      #expect(r.exitCode != 0)
      #expect(r.standardError.contains("symbolic dimension 'seq' has no value"), "\(r.standardError)")
      #expect(r.standardError.contains("--dim seq=VALUE"), "\(r.standardError)")
      #expect(!r.standardError.contains("'batch'"), "\(r.standardError)")
    }
    let report = try await Self.inspect([path, "--batch", "2", "--dim", "seq=8"])
    #expect(report.totals.macs == 2048 * 2 * 8 + 32 * 2 * 8 * 8)
    #expect(report.warnings.contains("bound symbolic batch dimension batch to --batch 2"), "\(report.warnings)")
  }

  /// A model whose batch is fixed keeps it; --batch above 1 is then named as ignored.
  @Test func aFixedBatchIgnoresBatchWithAWarning() async throws {
    let report = try await Self.inspect([Self.fixture("residual_28_batch1.onnx"), "--batch", "8"])
    #expect(report.workload.batch == 1)
    #expect(report.warnings.contains { $0.contains("--batch 8 is ignored") && $0.contains("fixed at 1") })
  }
}
