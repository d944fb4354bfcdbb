#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Which implementation a ``GEMM`` call runs on.
public enum GEMMBackend: Sendable, CustomStringConvertible {
  /// The blocked, cache-tiled Swift kernel (``GEMM`` `+Swift`); always available.
  case swift
  /// A CBLAS `cblas_sgemm` loaded at run time with `dlopen` (see ``BLASBackend``).
  case blas(BLASBackend)

  /// The system BLAS when one loads and `HYBRIX_BLAS` is not `off`, otherwise ``swift``.
  ///
  /// Resolved once per process; the environment variable is read at that moment.
  public static let automatic: GEMMBackend = {
    if let flag = getenv("HYBRIX_BLAS"), String(cString: flag).lowercased() == "off" {
      return .swift
    }
    if let blas = BLASBackend.shared { return .blas(blas) }
    return .swift
  }()

  public var description: String {
    switch self {
    case .swift:
      if BLASBackend.shared == nil {
        return "Swift blocked kernel (OpenBLAS not found: apt-get install libopenblas0-pthread to enable)"
      }
      return "Swift blocked kernel (HYBRIX_BLAS=off or chosen explicitly)"
    case .blas(let b): return b.description
    }
  }
}

/// Single-precision general matrix multiply, `C = alpha · op(A) · op(B) + beta · C`, row-major.
///
/// Two backends compute it: OpenBLAS (or another CBLAS) found at run time, and a blocked Swift
/// kernel in the style of Goto & van de Geijn, "Anatomy of High-Performance Matrix
/// Multiplication", ACM TOMS 34(3), 2008. Both agree with a naive triple loop to a relative
/// tolerance of 1e-4 (summation order differs). Set `HYBRIX_BLAS=off` to force the Swift kernel.
public enum GEMM {
  /// The backend used when none is passed: see ``GEMMBackend/automatic``.
  public static var defaultBackend: GEMMBackend { GEMMBackend.automatic }

  /// Which backend is in use, for logs and reports, e.g. "OpenBLAS (libopenblas.so.0, 1 thread)".
  public static var backendDescription: String { defaultBackend.description }

  /// The product `op(a) · op(b)` of two rank-2 tensors, where `op` transposes when asked.
  ///
  /// - Parameters:
  ///   - a: `[m, k]`, or `[k, m]` when `transposeA`.
  ///   - b: `[k, n]`, or `[n, k]` when `transposeB`.
  ///   - backend: Implementation to run; defaults to ``defaultBackend``.
  /// - Returns: A `[m, n]` tensor.
  /// - Complexity: 2·m·n·k floating-point operations.
  public static func multiply(
    _ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false,
    backend: GEMMBackend = GEMM.defaultBackend
  ) -> Tensor {
    precondition(a.rank == 2 && b.rank == 2, "GEMM.multiply needs rank-2 tensors, got \(a.shape) and \(b.shape)")
    let (m, k) = transposeA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
    let (k2, n) = transposeB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
    precondition(k == k2, "inner dimensions differ: \(a.shape)\(transposeA ? "ᵀ" : "") × \(b.shape)\(transposeB ? "ᵀ" : "")")
    var c = [Float](repeating: 0, count: m * n)
    a.scalars.withUnsafeBufferPointer { pa in
      b.scalars.withUnsafeBufferPointer { pb in
        c.withUnsafeMutableBufferPointer { pc in
          guard let ap = pa.baseAddress, let bp = pb.baseAddress, let cp = pc.baseAddress else { return }
          sgemm(
            m: m, n: n, k: k, a: ap, lda: a.shape[1], b: bp, ldb: b.shape[1], c: cp, ldc: n,
            transA: transposeA, transB: transposeB, backend: backend)
        }
      }
    }
    return Tensor(shape: [m, n], scalars: c)
  }

  /// Raw row-major SGEMM on pointers, for kernels: `C = alpha · op(A) · op(B) + beta · C`.
  ///
  /// - Parameters:
  ///   - m, n, k: `op(A)` is m×k, `op(B)` is k×n, `C` is m×n.
  ///   - a: Stored m×k (k×m when `transA`) with row stride `lda` elements.
  ///   - b: Stored k×n (n×k when `transB`) with row stride `ldb` elements.
  ///   - c: m×n with row stride `ldc`; read only when `beta != 0`.
  public static func sgemm(
    m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float = 1, beta: Float = 0,
    transA: Bool = false, transB: Bool = false, backend: GEMMBackend = GEMM.defaultBackend
  ) {
    precondition(m >= 0 && n >= 0 && k >= 0, "negative GEMM size \(m)×\(n)×\(k)")
    if m == 0 || n == 0 { return }
    if k == 0 || alpha == 0 {
      // Nothing to accumulate: only the beta scaling remains (beta = 0 clears, even NaNs).
      for i in 0..<m {
        let row = c + i * ldc
        for j in 0..<n { row[j] = beta == 0 ? 0 : beta * row[j] }
      }
      return
    }
    switch backend {
    case .blas(let blas):
      blas.sgemm(
        m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc, alpha: alpha, beta: beta,
        transA: transA, transB: transB)
    case .swift:
      SwiftGEMM.sgemm(
        m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc, alpha: alpha, beta: beta,
        transA: transA, transB: transB)
    }
  }
}
