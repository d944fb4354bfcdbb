/// The portable SGEMM: cache blocking and packing after Goto & van de Geijn (ACM TOMS 34(3),
/// 2008) around a 6×8 register micro-kernel of `SIMD8<Float>` accumulators.
///
/// Blocking: a `kc`×`nc` slab of B is packed into 8-column panels (sized for L2/L3), a `mc`×`kc`
/// block of A into 6-row panels (sized for L2), and each micro-kernel call streams one A panel and
/// one B panel (about 8 KiB each, L1). Twelve SIMD8 accumulators fill 12 of the 16 SSE/AVX
/// registers of the baseline x86-64 target. Measured speeds are in the HybrixNumerics benchmarks.
enum SwiftGEMM {
  static let mr = 6
  static let nr = 8
  static let kc = 256
  static let mc = 96  // 16 panels of mr
  static let nc = 2048  // 256 panels of nr

  static func sgemm(
    m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, beta: Float, transA: Bool, transB: Bool
  ) {
    // Apply beta once up front; the blocked loop then only accumulates.
    if beta != 1 {
      for i in 0..<m {
        let row = c + i * ldc
        for j in 0..<n { row[j] = beta == 0 ? 0 : beta * row[j] }
      }
    }
    let packA = UnsafeMutablePointer<Float>.allocate(capacity: mc * kc)
    let packB = UnsafeMutablePointer<Float>.allocate(capacity: kc * nc)
    defer {
      packA.deallocate()
      packB.deallocate()
    }
    var jc = 0
    while jc < n {
      let ncb = min(nc, n - jc)
      var pc = 0
      while pc < k {
        let kcb = min(kc, k - pc)
        packPanelsOfB(b, ldb: ldb, trans: transB, row0: pc, col0: jc, rows: kcb, cols: ncb, into: packB)
        var ic = 0
        while ic < m {
          let mcb = min(mc, m - ic)
          packPanelsOfA(a, lda: lda, trans: transA, row0: ic, col0: pc, rows: mcb, cols: kcb, into: packA)
          var jr = 0
          while jr < ncb {
            let cols = min(nr, ncb - jr)
            var ir = 0
            while ir < mcb {
              let rows = min(mr, mcb - ir)
              microKernel(
                kc: kcb, a: packA + ir * kcb, b: packB + jr * kcb, c: c + (ic + ir) * ldc + jc + jr,
                ldc: ldc, rows: rows, cols: cols, alpha: alpha)
              ir += mr
            }
            jr += nr
          }
          ic += mc
        }
        pc += kc
      }
      jc += nc
    }
  }

  /// Packs op(A)[row0..<row0+rows, col0..<col0+cols] as consecutive `mr`-row panels, each stored
  /// k-major (`mr` values per k), zero-padding the last panel.
  @inline(__always)
  static func packPanelsOfA(
    _ a: UnsafePointer<Float>, lda: Int, trans: Bool, row0: Int, col0: Int, rows: Int, cols: Int,
    into dst: UnsafeMutablePointer<Float>
  ) {
    var panel = 0
    while panel < rows {
      let out = dst + panel * cols
      let height = min(mr, rows - panel)
      for p in 0..<cols {
        let o = out + p * mr
        for r in 0..<mr {
          if r < height {
            let i = row0 + panel + r
            let j = col0 + p
            o[r] = trans ? a[j * lda + i] : a[i * lda + j]
          } else {
            o[r] = 0
          }
        }
      }
      panel += mr
    }
  }

  /// Packs op(B)[row0..<row0+rows, col0..<col0+cols] as consecutive `nr`-column panels, each
  /// stored k-major (`nr` values per k), zero-padding the last panel.
  @inline(__always)
  static func packPanelsOfB(
    _ b: UnsafePointer<Float>, ldb: Int, trans: Bool, row0: Int, col0: Int, rows: Int, cols: Int,
    into dst: UnsafeMutablePointer<Float>
  ) {
    var panel = 0
    while panel < cols {
      let out = dst + panel * rows
      let width = min(nr, cols - panel)
      for p in 0..<rows {
        let o = out + p * nr
        let i = row0 + p
        if !trans && width == nr {
          let src = b + i * ldb + col0 + panel
          for q in 0..<nr { o[q] = src[q] }
        } else {
          for q in 0..<nr {
            if q < width {
              let j = col0 + panel + q
              o[q] = trans ? b[j * ldb + i] : b[i * ldb + j]
            } else {
              o[q] = 0
            }
          }
        }
      }
      panel += nr
    }
  }

  /// C[0..<rows, 0..<cols] += alpha · (packed A panel)(packed B panel) over depth `kc`.
  @inline(__always)
  static func microKernel(
    kc: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
    ldc: Int, rows: Int, cols: Int, alpha: Float
  ) {
    var c0 = SIMD8<Float>(), c1 = SIMD8<Float>(), c2 = SIMD8<Float>()
    var c3 = SIMD8<Float>(), c4 = SIMD8<Float>(), c5 = SIMD8<Float>()
    let braw = UnsafeRawPointer(b)
    var ap = a
    for p in 0..<kc {
      let bv = braw.loadUnaligned(fromByteOffset: p * 32, as: SIMD8<Float>.self)
      // `c += x * y`, not `addProduct`: the latter lowers to scalar fma calls (environment.md §1).
      c0 += SIMD8(repeating: ap[0]) * bv
      c1 += SIMD8(repeating: ap[1]) * bv
      c2 += SIMD8(repeating: ap[2]) * bv
      c3 += SIMD8(repeating: ap[3]) * bv
      c4 += SIMD8(repeating: ap[4]) * bv
      c5 += SIMD8(repeating: ap[5]) * bv
      ap += 6
    }
    let accumulators = (c0, c1, c2, c3, c4, c5)
    withUnsafeBytes(of: accumulators) { raw in
      let acc = raw.bindMemory(to: SIMD8<Float>.self)
      if cols == nr {
        for r in 0..<rows {
          let dst = UnsafeMutableRawPointer(c + r * ldc)
          let old = dst.loadUnaligned(as: SIMD8<Float>.self)
          dst.storeBytes(of: old + alpha * acc[r], as: SIMD8<Float>.self)
        }
      } else {
        for r in 0..<rows {
          let row = acc[r]
          for q in 0..<cols { c[r * ldc + q] += alpha * row[q] }
        }
      }
    }
  }
}
