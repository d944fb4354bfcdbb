import HybrixCore
import HybrixNumerics

/// Block floating point (BFP): blocks of `blockSize` consecutive elements along the reduction
/// axis share one power-of-two exponent; each element keeps a signed integer mantissa with
/// |mantissa| ≤ 2^(mantissaBits−1) − 1 (papers.md §3.4; Mirage uses BFP so that the RNS range
/// only has to hold one block's dot product).
///
/// - Parameters:
///   - blockSize: Elements per shared exponent, g.
///   - mantissaBits: Signed mantissa width b_m in bits, including the sign.
public struct BFPFormat: Sendable, Hashable {
  public var blockSize: Int
  public var mantissaBits: Int

  public init(blockSize: Int, mantissaBits: Int) {
    precondition(blockSize >= 1 && (2...24).contains(mantissaBits), "bad BFP format")
    self.blockSize = blockSize
    self.mantissaBits = mantissaBits
  }

  var maxMantissa: Int64 { (1 << Int64(mantissaBits - 1)) - 1 }

  /// Exponent e for a block whose largest magnitude is `maxAbs`: the smallest e with
  /// maxAbs / 2^e ≤ 2^(b_m−1) − 1.
  func exponent(maxAbs: Float) -> Int {
    guard maxAbs > 0 else { return 0 }
    var e = Int((Double(maxAbs) / Double(maxMantissa)).exponent)
    while Double(maxAbs) / Double.pow2(e) > Double(maxMantissa) { e += 1 }
    while e > -1000 && Double(maxAbs) / Double.pow2(e - 1) <= Double(maxMantissa) { e -= 1 }
    return e
  }
}

extension Double {
  static func pow2(_ e: Int) -> Double { Double(sign: .plus, exponent: e, significand: 1) }
}

/// A matrix in BFP with blocks along its reduction axis.
public struct BFPMatrix: Sendable, Hashable {
  public var rows: Int
  public var cols: Int
  /// Integer mantissas, row-major [rows, cols].
  public var mantissas: [Int64]
  /// Exponent of each block: [rows, nBlocks] when blocked along columns (an input matrix),
  /// [nBlocks, cols] when blocked along rows (a weight matrix).
  public var exponents: [Int]
  public var alongRows: Bool
  public var format: BFPFormat

  public var blockCount: Int { ((alongRows ? rows : cols) + format.blockSize - 1) / format.blockSize }

  /// Quantizes `t` [rows, cols]; blocks run along columns (`alongRows == false`, for inputs
  /// [b, k]) or along rows (`alongRows == true`, for weights [k, n]).
  public init(_ t: Tensor, format: BFPFormat, alongRows: Bool) {
    precondition(t.rank == 2, "BFP needs a matrix")
    (rows, cols) = (t.shape[0], t.shape[1])
    self.format = format
    self.alongRows = alongRows
    mantissas = [Int64](repeating: 0, count: rows * cols)
    let reduce = alongRows ? rows : cols
    let other = alongRows ? cols : rows
    let nb = (reduce + format.blockSize - 1) / format.blockSize
    exponents = [Int](repeating: 0, count: nb * other)
    for o in 0..<other {
      for blk in 0..<nb {
        let range = (blk * format.blockSize)..<min(reduce, (blk + 1) * format.blockSize)
        let idx = range.map { alongRows ? $0 * cols + o : o * cols + $0 }
        let e = format.exponent(maxAbs: idx.reduce(0) { max($0, abs(t.scalars[$1])) })
        exponents[alongRows ? blk * cols + o : o * nb + blk] = e
        let s = Double.pow2(e)
        for i in idx {
          let q = (Double(t.scalars[i]) / s).rounded(.toNearestOrEven)
          mantissas[i] = min(max(Int64(q), -format.maxMantissa), format.maxMantissa)
        }
      }
    }
  }

  func exponent(reduceIndex r: Int, other o: Int) -> Int {
    let blk = r / format.blockSize
    return alongRows ? exponents[blk * cols + o] : exponents[o * blockCount + blk]
  }

  /// The dequantized values mantissa·2^e.
  public var dequantized: Tensor {
    var out = [Float](repeating: 0, count: rows * cols)
    for r in 0..<rows {
      for c in 0..<cols {
        let e = alongRows ? exponent(reduceIndex: r, other: c) : exponent(reduceIndex: c, other: r)
        out[r * cols + c] = Float(Double(mantissas[r * cols + c]) * Double.pow2(e))
      }
    }
    return Tensor(shape: [rows, cols], scalars: out)
  }
}
