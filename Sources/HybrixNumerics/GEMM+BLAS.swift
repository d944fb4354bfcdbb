#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A CBLAS `cblas_sgemm` found at run time, so one binary works with or without OpenBLAS.
///
/// Loading tries `libopenblas.so.0` (Debian `libopenblas0-pthread`), then `libopenblas.so`
/// (`libopenblas-dev`), then `libblas.so.3` (whatever `update-alternatives` points at; netlib is
/// about 40× slower than OpenBLAS). When `openblas_set_num_threads` exists it is called with 1,
/// so callers that run their own threads do not oversubscribe the cores
/// (research/environment.md §1: 76–110 GFLOP/s at 1024³ on one thread).
public struct BLASBackend: @unchecked Sendable, CustomStringConvertible {
  // @unchecked: only immutable C function pointers, which are safe to share.
  typealias SgemmFunction = @convention(c) (
    Int32, Int32, Int32, Int32, Int32, Int32, Float, UnsafePointer<Float>?, Int32,
    UnsafePointer<Float>?, Int32, Float, UnsafeMutablePointer<Float>?, Int32
  ) -> Void
  typealias SetThreadsFunction = @convention(c) (Int32) -> Void

  /// File name of the library that was loaded, e.g. `libopenblas.so.0`.
  public let libraryName: String
  /// Whether the library exported `openblas_set_num_threads` (then it runs on 1 thread).
  public let isOpenBLAS: Bool
  let function: SgemmFunction

  /// Library names tried in order.
  public static let candidates = ["libopenblas.so.0", "libopenblas.so", "libblas.so.3"]

  /// The process-wide backend, or `nil` when no candidate library exports `cblas_sgemm`.
  public static let shared: BLASBackend? = load()

  /// Loads the first candidate that exports `cblas_sgemm` (nil when none does).
  public static func load(candidates: [String] = BLASBackend.candidates) -> BLASBackend? {
    chooseOpenBLASCore()
    for name in candidates {
      guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else { continue }
      guard let symbol = dlsym(handle, "cblas_sgemm") else {
        dlclose(handle)
        continue
      }
      var openBLAS = false
      if let setThreads = dlsym(handle, "openblas_set_num_threads") {
        unsafeBitCast(setThreads, to: SetThreadsFunction.self)(1)
        openBLAS = true
      }
      // The handle stays open for the life of the process: the function pointer points into it.
      return BLASBackend(
        libraryName: name, isOpenBLAS: openBLAS,
        function: unsafeBitCast(symbol, to: SgemmFunction.self))
    }
    return nil
  }

  /// OpenBLAS 0.3.21 (Debian 12) does not recognise recent Xeons that report only "Intel(R)
  /// Xeon(R) Processor" and falls back to its Prescott (SSE3) kernels, 1.5–3× slower than the
  /// AVX-512 ones on this machine. When the user has not chosen (`OPENBLAS_CORETYPE` unset), the
  /// core is picked from the CPU flags before the library loads: SkylakeX with AVX-512 F/BW/DQ/VL,
  /// Haswell with AVX2 and FMA; otherwise OpenBLAS detects as usual.
  static func chooseOpenBLASCore() {
    #if os(Linux)
      guard getenv("OPENBLAS_CORETYPE") == nil, let file = fopen("/proc/cpuinfo", "r") else { return }
      defer { fclose(file) }
      var buffer = [CChar](repeating: 0, count: 1 << 14)
      var flagsLine: String?
      while fgets(&buffer, Int32(buffer.count), file) != nil {
        let line = String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if line.hasPrefix("flags") {
          flagsLine = line
          break
        }
      }
      guard let flagsLine else { return }
      let flags = Set(flagsLine.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init))
      let core: String?
      if flags.isSuperset(of: ["avx512f", "avx512bw", "avx512dq", "avx512vl"]) {
        core = "SkylakeX"
      } else if flags.isSuperset(of: ["avx2", "fma"]) {
        core = "Haswell"
      } else {
        core = nil
      }
      if let core { setenv("OPENBLAS_CORETYPE", core, 0) }
    #endif
  }

  public var description: String {
    isOpenBLAS ? "OpenBLAS (\(libraryName), 1 thread)" : "CBLAS (\(libraryName))"
  }

  // CBLAS enum values from cblas.h.
  static let rowMajor: Int32 = 101
  static let noTrans: Int32 = 111
  static let trans: Int32 = 112

  /// `C = alpha · op(A) · op(B) + beta · C` through `cblas_sgemm`, row-major; see ``GEMM/sgemm``.
  func sgemm(
    m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, beta: Float, transA: Bool, transB: Bool
  ) {
    let limit = Int(Int32.max)
    precondition(
      [m, n, k, lda, ldb, ldc].allSatisfy { $0 <= limit },
      "GEMM size exceeds the 32-bit CBLAS interface")
    function(
      Self.rowMajor, transA ? Self.trans : Self.noTrans, transB ? Self.trans : Self.noTrans,
      Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
  }
}
