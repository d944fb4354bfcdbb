import Hardware
import FuzzDriver
import HybrixCore

/// libFuzzer entry point for the architecture YAML loader (`--arch FILE.yaml`): any text must
/// give an architecture or ConfigErrors, never a crash.
public func fuzzArchitecture(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  let text = data.map { String(decoding: UnsafeBufferPointer(start: $0, count: size), as: UTF8.self) } ?? ""
  _ = try? ArchitectureLoader.load(yaml: text, file: "fuzz.yaml")
  return 0
}

@main enum Main {
  static func main() { runLibFuzzer { data, size in fuzzArchitecture(data, size) } }
}
