import HybrixCore
import Testing

@testable import HybrixNumerics

/// Naive triple loop in Float64: the oracle both GEMM backends must match.
func referenceGEMM(_ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool) -> Tensor {
  let (m, k) = transposeA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
  let n = transposeB ? b.shape[0] : b.shape[1]
  let (x, y) = (a.scalars, b.scalars)
  let (lda, ldb) = (a.shape[1], b.shape[1])
  var c = [Float](repeating: 0, count: m * n)
  for i in 0..<m {
    for j in 0..<n {
      var s = 0.0
      for p in 0..<k {
        let u = transposeA ? x[p * lda + i] : x[i * lda + p]
        let v = transposeB ? y[j * ldb + p] : y[p * ldb + j]
        s += Double(u) * Double(v)
      }
      c[i * n + j] = Float(s)
    }
  }
  return Tensor(shape: [m, n], scalars: c)
}

/// Largest |x − y| relative to the larger magnitude of the reference (floored at 1).
func maxRelativeError(_ x: Tensor, _ y: Tensor) -> Float {
  precondition(x.shape == y.shape, "\(x.shape) vs \(y.shape)")
  let scale = max(1, y.absMax)
  return zip(x.scalars, y.scalars).reduce(0) { max($0, abs($1.0 - $1.1)) } / scale
}

var testedBackends: [GEMMBackend] {
  var list: [GEMMBackend] = [.swift]
  if let blas = BLASBackend.shared { list.append(.blas(blas)) }
  return list
}

@Suite struct GEMMTests {
  @Test func smallKnownProduct() {
    let a = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
    let b = Tensor(shape: [3, 2], scalars: [7, 8, 9, 10, 11, 12])
    for backend in testedBackends {
      #expect(GEMM.multiply(a, b, backend: backend).scalars == [58, 64, 139, 154])
    }
  }

  /// Property: random sizes 1…70 and every transpose combination, seeds 0..<40, both backends.
  @Test func matchesNaiveLoop() {
    for seed in UInt64(0)..<40 {
      var rng = SplitMix64(seed: seed)
      let m = Int(rng.next() % 70) + 1
      let n = Int(rng.next() % 70) + 1
      let k = Int(rng.next() % 70) + 1
      let ta = rng.next() % 2 == 0
      let tb = rng.next() % 2 == 0
      let a = Tensor.randomNormal(ta ? [k, m] : [m, k], rng: &rng)
      let b = Tensor.randomNormal(tb ? [n, k] : [k, n], rng: &rng)
      let expected = referenceGEMM(a, b, transposeA: ta, transposeB: tb)
      for backend in testedBackends {
        let got = GEMM.multiply(a, b, transposeA: ta, transposeB: tb, backend: backend)
        let err = maxRelativeError(got, expected)
        #expect(err <= 1e-4, "seed \(seed) \(m)×\(n)×\(k) tA=\(ta) tB=\(tb) \(backend): \(err)")
      }
    }
  }

  /// Spans more than one kc/mc block so the blocking loop boundaries are exercised.
  @Test func crossesBlockBoundaries() {
    var rng = SplitMix64(seed: 99)
    let a = Tensor.randomNormal([100, 300], rng: &rng)
    let b = Tensor.randomNormal([300, 19], rng: &rng)
    let expected = referenceGEMM(a, b, transposeA: false, transposeB: false)
    #expect(maxRelativeError(GEMM.multiply(a, b, backend: .swift), expected) <= 1e-4)
  }

  @Test func alphaBetaAndStrides() {
    // C (2×2 inside a row stride of 3) = 2·A·B + 0.5·C; A and B are sub-blocks with strides.
    let a: [Float] = [1, 2, 99, 3, 4, 99]  // 2×2, lda 3
    let b: [Float] = [5, 6, 99, 7, 8, 99]  // 2×2, ldb 3
    for backend in testedBackends {
      var c: [Float] = [2, 2, -1, 4, 4, -1]
      a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
          c.withUnsafeMutableBufferPointer { pc in
            GEMM.sgemm(
              m: 2, n: 2, k: 2, a: pa.baseAddress!, lda: 3, b: pb.baseAddress!, ldb: 3,
              c: pc.baseAddress!, ldc: 3, alpha: 2, beta: 0.5, backend: backend)
          }
        }
      }
      #expect(c == [39, 45, -1, 88, 102, -1], "\(backend)")
    }
  }

  @Test func emptyInnerDimensionGivesZeros() {
    let c = GEMM.multiply(Tensor.zeros([3, 0]), Tensor.zeros([0, 4]), backend: .swift)
    #expect(c == Tensor.zeros([3, 4]))
  }

  @Test func backendIsDescribed() {
    #expect(!GEMM.backendDescription.isEmpty)
    if let blas = BLASBackend.shared { #expect(blas.description.contains(blas.libraryName)) }
  }
}
