import HybrixCore

/// An array read from an IDX file, the format MNIST and Fashion-MNIST ship in.
///
/// IDX (LeCun et al., http://yann.lecun.com/exdb/mnist/, "THE IDX FILE FORMAT") is a 4-byte magic
/// number — two zero bytes, a type code, the number of dimensions — then one big-endian `UInt32`
/// per dimension, then the elements in row-major order. Only type 0x08 (unsigned byte), the type
/// of every (Fashion-)MNIST file, is supported; the payload is kept as bytes without copying.
public struct IDXArray: Sendable, Hashable {
  /// Dimension sizes, outermost first (`[60000, 28, 28]` for Fashion-MNIST training images).
  public var shape: [Int]
  /// The whole file; elements start at `payloadOffset`.
  var storage: [UInt8]
  var payloadOffset: Int

  /// The elements in row-major order.
  public var elements: ArraySlice<UInt8> { storage[payloadOffset...] }
}

public enum IDX {
  /// Names of the IDX type codes (third magic byte), for error messages.
  static let typeNames: [UInt8: String] = [
    0x08: "unsigned byte", 0x09: "signed byte", 0x0B: "short", 0x0C: "int", 0x0D: "float",
    0x0E: "double",
  ]

  /// Parses an IDX file of unsigned bytes and checks that its size matches its dimensions.
  ///
  /// Errors carry no file name; callers add it with ``ConfigError/inFile(_:)``.
  /// - Parameter data: The decompressed file.
  public static func parse(_ data: [UInt8]) throws(ConfigError) -> IDXArray {
    guard data.count >= 4 else {
      throw ConfigError(
        path: "header", message: "IDX file is \(data.count) bytes, too short for a magic number",
        expected: "at least 4 bytes")
    }
    guard data[0] == 0, data[1] == 0 else {
      throw ConfigError(
        path: "header", message: "IDX magic starts with \(data[0]), \(data[1]) at byte offset 0",
        expected: "two zero bytes", hint: "is this an IDX file (and is it decompressed)?")
    }
    guard data[2] == 0x08 else {
      let name = typeNames[data[2]].map { " (\($0))" } ?? ""
      throw ConfigError(
        path: "header", message: "unsupported IDX element type 0x\(String(data[2], radix: 16))\(name)"
          + " at byte offset 2", expected: "0x08 (unsigned byte)")
    }
    let rank = Int(data[3])
    let headerSize = 4 + 4 * rank
    guard rank >= 1, data.count >= headerSize else {
      throw ConfigError(
        path: "header", message: "IDX header declares \(rank) dimensions but the file is "
          + "\(data.count) bytes", expected: "at least one dimension and \(headerSize) header bytes")
    }
    var shape: [Int] = []
    var elementCount = 1
    for d in 0..<rank {
      let i = 4 + 4 * d
      let size =
        Int(data[i]) << 24 | Int(data[i + 1]) << 16 | Int(data[i + 2]) << 8 | Int(data[i + 3])
      shape.append(size)
      let (product, overflow) = elementCount.multipliedReportingOverflow(by: size)
      guard !overflow else {
        throw ConfigError(path: "dims", message: "IDX dimensions \(shape) overflow the element count")
      }
      elementCount = product
    }
    let payload = data.count - headerSize
    guard payload == elementCount else {
      throw ConfigError(
        path: "dims", message: "IDX dimensions \(shape) need \(elementCount) bytes after the "
          + "\(headerSize)-byte header but the file has \(payload)"
          + (payload < elementCount ? " (truncated at byte offset \(data.count))" : ""),
        expected: "file size \(headerSize + elementCount) bytes",
        hint: payload < elementCount ? "the file is truncated; download it again" : nil)
    }
    return IDXArray(shape: shape, storage: data, payloadOffset: headerSize)
  }

  /// The bytes of an IDX file of unsigned bytes with `shape` (for tests and tools).
  public static func encode(shape: [Int], elements: [UInt8]) -> [UInt8] {
    precondition(shape.reduce(1, *) == elements.count, "\(elements.count) elements for \(shape)")
    var bytes: [UInt8] = [0, 0, 0x08, UInt8(shape.count)]
    for size in shape {
      precondition(size >= 0 && size <= Int(UInt32.max), "IDX dimension \(size) out of range")
      bytes += [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: size >> $0) }
    }
    return bytes + elements
  }
}
