import FuzzDriver
import HybrixCore
import Workloads

/// libFuzzer entry point for the ONNX reader (scripts/fuzz; docs/fuzzing.md): the bytes as an
/// ONNX file, read as `hybrix map`/`inspect` read it (with its symbolic dimensions bound to 1)
/// and as `hybrix accuracy` reads it (the interpreter's program). Any input must give a graph
/// or a ConfigError, never a crash.
public func fuzzONNX(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
  _ = try? ONNXImporter.loadBindingSymbolsToOne(data: bytes, fileName: "fuzz.onnx")
  _ = try? ONNXImporter.load(data: bytes, fileName: "fuzz.onnx", bindings: ["N": 2, "batch": 2, "seq": 3])
  _ = try? ONNXProgram.load(data: bytes, fileName: "fuzz.onnx")
  return 0
}

@main enum Main {
  static func main() { runLibFuzzer { data, size in fuzzONNX(data, size) } }
}
