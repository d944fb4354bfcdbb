#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The type of a libFuzzer test function: `int LLVMFuzzerTestOneInput(const uint8_t *, size_t)`.
public typealias FuzzTarget = @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32

/// `int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*cb)(const uint8_t *, size_t))` from
/// libFuzzer (linked by `-sanitize=fuzzer`).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
  _ argc: UnsafeMutablePointer<Int32>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
  _ callback: FuzzTarget
) -> Int32

/// Runs libFuzzer with the process's arguments on `target` and exits with its status.
///
/// SwiftPM links an executable target's own (here empty) entry point as `main`, so libFuzzer's
/// `main` is never linked; each fuzz target's `@main` calls libFuzzer's driver instead.
public func runLibFuzzer(_ target: FuzzTarget) -> Never {
  var argc = CommandLine.argc
  var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
  exit(LLVMFuzzerRunDriver(&argc, &argv, target))
}
