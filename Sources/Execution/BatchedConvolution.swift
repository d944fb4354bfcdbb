import HybrixCore
import HybrixNumerics

/// Exact 2-D convolution for inference with the batch in the GEMM's N dimension: the patches of
/// several images side by side form one `[(C/g)·kh·kw, images·OH·OW]` matrix, multiplied by the
/// group's weights `[O/g, (C/g)·kh·kw]` in one ``GEMM`` call, instead of one small product per
/// image (a 7×7 output gives N = 49 per image, where OpenBLAS runs far below its peak).
///
/// The patch matrix is filled row by row with contiguous copies of the input rows (zeros for the
/// padding), not element by element. Same sums as ``Convolution/conv2d(_:weight:bias:options:)``
/// up to the order in which the GEMM adds them (a few ULP).
public enum BatchedConvolution {
  /// Floats per patch-matrix chunk (1 MiB, so the patches stay in cache while the GEMM packs them): images are taken this many values of patches at a time.
  static let chunkElements = 1 << 18

  /// `y[N, O, OH, OW]` for `x[N, C, H, W]`, `weight[O, C/g, kh, kw]` and an optional `bias[O]`.
  public static func conv2d(_ x: Tensor, weight: Tensor, bias: Tensor?, options: Conv2DOptions) -> Tensor {
    precondition(x.rank == 4 && weight.rank == 4, "conv2d needs NCHW input and OIHW weights, got \(x.shape), \(weight.shape)")
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (o, cg, kh, kw) = (weight.shape[0], weight.shape[1], weight.shape[2], weight.shape[3])
    let g = options.groups
    precondition(c == cg * g && o % g == 0, "channels \(c) in, \(o) out do not split into \(g) groups of \(cg)")
    let (oh, ow) = options.outputSize(h: h, w: w, kh: kh, kw: kw)
    let og = o / g, rows = cg * kh * kw, cols = oh * ow
    let count = n * o * cols
    guard rows > 0, cols > 0, n > 0 else { return Tensor(shape: [n, o, oh, ow], scalars: .init(repeating: 0, count: count)) }
    let perChunk = max(1, min(n, chunkElements / (rows * cols)))
    let patches = UnsafeMutablePointer<Float>.allocate(capacity: rows * perChunk * cols)
    let product = UnsafeMutablePointer<Float>.allocate(capacity: og * perChunk * cols)
    defer {
      patches.deallocate()
      product.deallocate()
    }
    let y = [Float](unsafeUninitializedCapacity: count) { yb, initialized in
      defer { initialized = count }
      guard let yp = yb.baseAddress else { return }
      x.scalars.withUnsafeBufferPointer { xb in
        weight.scalars.withUnsafeBufferPointer { wb in
          guard let xs = xb.baseAddress, let ws = wb.baseAddress else { return }
          for first in stride(from: 0, to: n, by: perChunk) {
            let images = min(perChunk, n - first)
            let width = images * cols
            for grp in 0..<g {
              for i in 0..<images {
                im2col(
                  xs + ((first + i) * c + grp * cg) * h * w, channels: cg, h: h, w: w, kh: kh, kw: kw,
                  options: options, into: patches + i * cols, rowStride: width)
              }
              GEMM.sgemm(
                m: og, n: width, k: rows, a: ws + grp * og * rows, lda: rows, b: patches, ldb: width,
                c: product, ldc: width)
              for i in 0..<images {
                for j in 0..<og {
                  let channel = grp * og + j
                  let b = bias?.scalars[channel] ?? 0
                  let src = product + j * width + i * cols
                  let dst = yp + ((first + i) * o + channel) * cols
                  for p in 0..<cols { dst[p] = src[p] + b }
                }
              }
            }
          }
        }
      }
    }
    return Tensor(shape: [n, o, oh, ow], scalars: y)
  }

  /// The patch matrix `[N·OH·OW, channels.count·kh·kw]` of `x` `[N, C, H, W]` over input
  /// channels `channels`: row (image, pixel) holds the window of that output pixel, columns in
  /// (channel, ky, kx) order, zeros over the padding — what an arithmetic multiplies by the
  /// `[k, n]` weights. Built by ``im2col`` per image and transposed.
  static func patchRows(
    _ x: Tensor, channels: Range<Int>, kh: Int, kw: Int, options: Conv2DOptions
  ) -> [Float] {
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (oh, ow) = options.outputSize(h: h, w: w, kh: kh, kw: kw)
    let positions = oh * ow, k = channels.count * kh * kw
    let count = n * positions * k
    guard positions > 0, k > 0 else { return [Float](repeating: 0, count: count) }
    let columns = UnsafeMutablePointer<Float>.allocate(capacity: k * positions)
    defer { columns.deallocate() }
    return [Float](unsafeUninitializedCapacity: count) { out, initialized in
      defer { initialized = count }
      guard let o = out.baseAddress else { return }
      x.scalars.withUnsafeBufferPointer { xb in
        guard let xs = xb.baseAddress else { return }
        for img in 0..<n {
          im2col(
            xs + (img * c + channels.lowerBound) * h * w, channels: channels.count, h: h, w: w, kh: kh, kw: kw,
            options: options, into: columns, rowStride: positions)
          let rows = o + img * positions * k
          // Transpose [k, positions] → [positions, k] in tiles that stay in cache.
          let tile = 16
          for r0 in stride(from: 0, to: k, by: tile) {
            let r1 = min(k, r0 + tile)
            for p0 in stride(from: 0, to: positions, by: tile) {
              let p1 = min(positions, p0 + tile)
              for r in r0..<r1 {
                let src = columns + r * positions
                for p in p0..<p1 { rows[p * k + r] = src[p] }
              }
            }
          }
        }
      }
    }
  }

  /// One patch row of a stride-1 convolution whose output is as wide as its input: output pixel
  /// (oy, ox) reads input (oy + rowShift, ox + columnShift), so the rows inside the image are one
  /// contiguous copy of the plane, after which the columns that fell over the left or right edge
  /// are set to zero.
  static func planeCopy(
    _ plane: UnsafePointer<Float>, h: Int, w: Int, oh: Int, rowShift: Int, columnShift: Int,
    into out: UnsafeMutablePointer<Float>
  ) {
    let oyLo = min(oh, max(0, -rowShift)), oyHi = max(oyLo, min(oh, h - rowShift))
    if oyLo > 0 { out.update(repeating: 0, count: oyLo * w) }
    if oyHi < oh { (out + oyHi * w).update(repeating: 0, count: (oh - oyHi) * w) }
    guard oyHi > oyLo else { return }
    let dst = out + oyLo * w
    let count = (oyHi - oyLo) * w
    let start = (oyLo + rowShift) * w + columnShift  // plane index of dst[0]
    let eLo = min(count, max(0, -start)), eHi = max(eLo, min(count, h * w - start))
    if eHi > eLo { (dst + eLo).update(from: plane + (start + eLo), count: eHi - eLo) }
    let lo = min(w, max(0, -columnShift)), hi = max(lo, min(w, w - columnShift))
    for r in 0..<(oyHi - oyLo) {
      let line = dst + r * w
      for ox in 0..<lo { line[ox] = 0 }
      for ox in hi..<w { line[ox] = 0 }
    }
    // Values before eLo or from eHi on lie in those edge columns and are zero now.
  }

  /// Unfolds one `[channels, h, w]` image into rows `(channel, ky, kx)` of `OH·OW` values, row r
  /// at `cols + r·rowStride`; zeros where the window hangs over the padding.
  static func im2col(
    _ x: UnsafePointer<Float>, channels: Int, h: Int, w: Int, kh: Int, kw: Int, options: Conv2DOptions,
    into cols: UnsafeMutablePointer<Float>, rowStride: Int
  ) {
    let (oh, ow) = options.outputSize(h: h, w: w, kh: kh, kw: kw)
    let (sh, sw) = (options.strideH, options.strideW)
    var row = 0
    for ch in 0..<channels {
      let plane = x + ch * h * w
      for ky in 0..<kh {
        for kx in 0..<kw {
          let out = cols + row * rowStride
          if sh == 1, sw == 1, ow == w {
            planeCopy(plane, h: h, w: w, oh: oh, rowShift: ky * options.dilationH - options.padH,
              columnShift: kx * options.dilationW - options.padW, into: out)
            row += 1
            continue
          }
          // Output columns ox whose input column ox·sw − padW + kx·dilationW lies in 0..<w.
          let shift = kx * options.dilationW - options.padW
          let lo = min(ow, max(0, (-shift + sw - 1) / sw))
          let hi = max(lo, min(ow, (w - shift + sw - 1) / sw))
          for oy in 0..<oh {
            let iy = oy * sh - options.padH + ky * options.dilationH
            let dst = out + oy * ow
            if iy < 0 || iy >= h {
              dst.update(repeating: 0, count: ow)
              continue
            }
            let src = plane + iy * w + shift
            if lo > 0 { dst.update(repeating: 0, count: lo) }
            if sw == 1 {
              (dst + lo).update(from: src + lo, count: hi - lo)
            } else {
              for ox in lo..<hi { dst[ox] = src[ox * sw] }
            }
            if hi < ow { (dst + hi).update(repeating: 0, count: ow - hi) }
          }
          row += 1
        }
      }
    }
  }
}
