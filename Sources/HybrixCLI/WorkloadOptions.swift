import ArgumentParser
import HybrixCore
import Workloads

extension Phase: ExpressibleByArgument {}

/// The options that pick and size a workload, shared by every command that takes a MODEL.
struct WorkloadOptions: ParsableArguments {
  @Argument(help: "A zoo model name (see `hybrix models`) or a path to an .onnx file.")
  var model: String

  @Option(name: .long, help: "Batch size (sequences or images).")
  var batch: Int = 1

  @Option(name: .long, help: "Sequence length in tokens; for --phase decode, the context length (tokens already in the KV cache).")
  var seq: Int?

  @Option(name: .customLong("image-size"), help: "Input image side in pixels (vision models).")
  var imageSize: Int?

  @Option(name: .long, help: "inference, prefill, decode (LLMs) or train.")
  var phase: Phase = .inference

  @Option(name: .long, help: "Numeric precision: fp32, fp16, bf16, int8, int4 or wXaY (e.g. w4a16).")
  var precision: String = "int8"

  @Option(name: .customLong("dim"), help: "Bind a symbolic ONNX dimension, e.g. --dim seq=128 (repeatable); a symbolic batch (first) dimension takes --batch unless --dim names it.")
  var dims: [String] = []

  @Flag(
    name: .customLong("no-fusion"),
    help: """
      Keep BatchNorms and activations as separate operators. By default an inference graph is \
      lowered as a deployment compiler would: each BatchNorm folded into the conv/GEMM before \
      it, each activation fused into that product's output stage.
      """)
  var noFusion = false

  func parsedPrecision() throws(ConfigError) -> Precision { try Precision.parse(precision) }

  /// `--dim` values as a dictionary, with a clear error for a malformed one.
  func bindings() throws(ConfigError) -> [String: Int] {
    var result: [String: Int] = [:]
    for d in dims {
      let parts = d.split(separator: "=", maxSplits: 1).map(String.init)
      guard parts.count == 2, !parts[0].isEmpty, let v = Int(parts[1]), v >= 1 else {
        throw ConfigError(
          path: "--dim", message: "\"\(d)\" is not NAME=VALUE with a positive integer value",
          expected: "e.g. --dim N=8", hint: "`hybrix inspect FILE.onnx` names the symbolic dimensions it needs")
      }
      result[parts[0]] = v
    }
    return result
  }
}
