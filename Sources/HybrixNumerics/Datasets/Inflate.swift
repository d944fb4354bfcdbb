import HybrixCore

/// A raw DEFLATE decoder (RFC 1951, https://www.rfc-editor.org/rfc/rfc1951) in pure Swift, so
/// Hybrix reads `.gz` data sets without zlib headers on the build machine.
///
/// It decodes stored (BTYPE 00), fixed-Huffman (01) and dynamic-Huffman (10) blocks. Huffman
/// codes are decoded with one lookup table indexed by the next `maxLength` input bits (§3.2.2,
/// codes packed LSB first, §3.1.1); output goes into one preallocated, doubling `[UInt8]`.
/// Every read is bounds-checked: truncated input, over-subscribed or incomplete codes, reserved
/// symbols and distances that reach before the output all throw a ``ConfigError`` naming the byte
/// offset, never trap.
public enum Inflate {
  /// Decompresses the raw DEFLATE stream that starts at byte `start` of `input`.
  ///
  /// - Parameters:
  ///   - input: Bytes holding the stream (for gzip, the whole file).
  ///   - start: Offset of the stream's first byte in `input`.
  ///   - sizeHint: Expected output size in bytes, used only to preallocate.
  /// - Returns: The decompressed bytes and the offset of the first byte after the final block.
  /// - Complexity: O(*n*) in the output size.
  public static func decompress(
    _ input: [UInt8], from start: Int = 0, sizeHint: Int = 0
  ) throws(ConfigError) -> (bytes: [UInt8], end: Int) {
    precondition(start >= 0 && start <= input.count, "start \(start) outside 0...\(input.count)")
    return try input.withUnsafeBufferPointer { (buffer) throws(ConfigError) -> ([UInt8], Int) in
      var inflater = Inflater(reader: BitReader(bytes: buffer, position: start), sizeHint: sizeHint)
      try inflater.run()
      inflater.output.removeSubrange(inflater.count...)
      return (inflater.output, inflater.reader.endOffset)
    }
  }
}

/// Decoder state: the bit reader, the output written so far and the current block's tables.
struct Inflater {
  var reader: BitReader
  var output: [UInt8]
  var count = 0
  var literals = HuffmanTable()
  var distances = HuffmanTable()
  var codeLengths = HuffmanTable()

  init(reader: BitReader, sizeHint: Int) {
    self.reader = reader
    output = [UInt8](repeating: 0, count: max(sizeHint, 1 << 12))
  }

  /// Decodes blocks until the one with BFINAL set (RFC 1951 §3.2.3).
  mutating func run() throws(ConfigError) {
    var isFinal = false
    while !isFinal {
      isFinal = try reader.bits(1) == 1
      switch try reader.bits(2) {
      case 0: try storedBlock()
      case 1:
        try build(&literals, Self.fixedLiteralLengths[...], "fixed literal/length code")
        try build(&distances, Self.fixedDistanceLengths[...], "fixed distance code")
        try compressedBlock()
      case 2:
        try readDynamicTables()
        try compressedBlock()
      default: throw reader.corrupt("reserved block type 3")
      }
    }
  }

  /// Grows the output so that `extra` more bytes fit.
  mutating func reserve(_ extra: Int) {
    guard count + extra > output.count else { return }
    output.append(contentsOf: repeatElement(0, count: max(output.count, extra)))
  }

  /// A stored block: LEN, its complement NLEN, then LEN literal bytes (§3.2.4).
  mutating func storedBlock() throws(ConfigError) {
    reader.alignToByte()
    let length = try reader.bits(16)
    let complement = try reader.bits(16)
    guard length == ~complement & 0xFFFF else {
      throw reader.corrupt("stored block length \(length) does not match its complement \(complement)")
    }
    let start = reader.takeBufferedBytes()
    guard length <= reader.bytes.count - start else { throw reader.truncated() }
    reserve(length)
    for i in 0..<length { output[count + i] = reader.bytes[start + i] }
    count += length
    reader.position = start + length
  }

  /// Literal/length and distance codes of a compressed block, up to end-of-block (§3.2.5).
  mutating func compressedBlock() throws(ConfigError) {
    let lengthBase = Self.lengthBase, lengthExtra = Self.lengthExtra
    let distanceBase = Self.distanceBase, distanceExtra = Self.distanceExtra
    while true {
      let symbol = try reader.decode(literals)
      if symbol < 256 {
        if count == output.count { reserve(1) }
        output[count] = UInt8(truncatingIfNeeded: symbol)
        count += 1
        continue
      }
      if symbol == 256 { return }
      let lengthIndex = symbol - 257
      guard lengthIndex < 29 else { throw reader.corrupt("invalid length symbol \(symbol)") }
      let length = lengthBase[lengthIndex] + (try reader.bits(lengthExtra[lengthIndex]))
      let distanceSymbol = try reader.decode(distances)
      guard distanceSymbol < 30 else {
        throw reader.corrupt("invalid distance symbol \(distanceSymbol)")
      }
      let distance =
        distanceBase[distanceSymbol] + (try reader.bits(distanceExtra[distanceSymbol]))
      guard distance <= count else {
        throw reader.corrupt("distance \(distance) reaches before the output start (\(count) bytes)")
      }
      if count + length > output.count { reserve(length) }
      // Byte by byte on purpose: a match may overlap the bytes it is writing (distance < length).
      var from = count - distance
      let end = count + length
      while count < end {
        output[count] = output[from]
        count += 1
        from += 1
      }
    }
  }

  /// HLIT, HDIST, HCLEN, the code-length code, then both code-length lists (§3.2.7).
  mutating func readDynamicTables() throws(ConfigError) {
    let literalCount = try reader.bits(5) + 257
    let distanceCount = try reader.bits(5) + 1
    let lengthCodeCount = try reader.bits(4) + 4
    guard literalCount <= 286, distanceCount <= 30 else {
      throw reader.corrupt("\(literalCount) literal/length or \(distanceCount) distance codes")
    }
    var lengthCodeLengths = [UInt8](repeating: 0, count: 19)
    for i in 0..<lengthCodeCount {
      lengthCodeLengths[Self.codeLengthOrder[i]] = UInt8(try reader.bits(3))
    }
    try build(&codeLengths, lengthCodeLengths[...], "code-length code")

    let total = literalCount + distanceCount
    var lengths = [UInt8](repeating: 0, count: total)
    var i = 0
    while i < total {
      let symbol = try reader.decode(codeLengths)
      var repeated: UInt8 = 0
      var times = 1
      switch symbol {
      case 0..<16: repeated = UInt8(symbol)
      case 16:
        guard i > 0 else { throw reader.corrupt("repeat code 16 with no previous length") }
        repeated = lengths[i - 1]
        times = 3 + (try reader.bits(2))
      case 17: times = 3 + (try reader.bits(3))
      default: times = 11 + (try reader.bits(7))
      }
      guard i + times <= total else { throw reader.corrupt("code lengths overrun \(total) codes") }
      for _ in 0..<times {
        lengths[i] = repeated
        i += 1
      }
    }
    guard lengths[256] != 0 else { throw reader.corrupt("no code for end-of-block") }
    try build(&literals, lengths[..<literalCount], "literal/length code")
    try build(&distances, lengths[literalCount...], "distance code")
  }

  func build(
    _ table: inout HuffmanTable, _ lengths: ArraySlice<UInt8>, _ name: String
  ) throws(ConfigError) {
    if let problem = table.build(lengths) { throw reader.corrupt("\(name) is \(problem)") }
  }

  /// Lengths of the fixed Huffman code (§3.2.6).
  static let fixedLiteralLengths: [UInt8] =
    Array(repeating: 8, count: 144) + Array(repeating: 9, count: 112)
    + Array(repeating: 7, count: 24) + Array(repeating: 8, count: 8)
  static let fixedDistanceLengths = [UInt8](repeating: 5, count: 30)

  /// Base lengths and extra bits of length symbols 257...285 (§3.2.5).
  static let lengthBase = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
    131, 163, 195, 227, 258,
  ]
  static let lengthExtra = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
  ]
  /// Base distances and extra bits of distance symbols 0...29 (§3.2.5).
  static let distanceBase = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
  ]
  static let distanceExtra = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
  ]
  /// The order in which code-length code lengths are stored (§3.2.7).
  static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
}

/// Reads DEFLATE's LSB-first bit stream (RFC 1951 §3.1.1) from a byte buffer, up to 64 bits ahead.
struct BitReader {
  let bytes: UnsafeBufferPointer<UInt8>
  /// The next byte to load into `buffer`.
  var position: Int
  var buffer: UInt64 = 0
  var bufferedBits = 0

  init(bytes: UnsafeBufferPointer<UInt8>, position: Int) {
    self.bytes = bytes
    self.position = position
  }

  /// Offset of the byte holding the next unread bit (for error messages).
  var byteOffset: Int { position - (bufferedBits + 7) / 8 }
  /// Offset of the first byte after the stream, once its last (partial) byte is done.
  var endOffset: Int { position - bufferedBits / 8 }

  @inline(__always) mutating func refill() {
    while bufferedBits <= 56 && position < bytes.count {
      buffer |= UInt64(bytes[position]) << UInt64(bufferedBits)
      position += 1
      bufferedBits += 8
    }
  }

  /// The next `n` bits (0...16) as an integer, first bit least significant.
  @inline(__always) mutating func bits(_ n: Int) throws(ConfigError) -> Int {
    if bufferedBits < n {
      refill()
      guard bufferedBits >= n else { throw truncated() }
    }
    let value = Int(truncatingIfNeeded: buffer & ((1 << UInt64(n)) - 1))
    buffer >>= UInt64(n)
    bufferedBits -= n
    return value
  }

  /// The next symbol of `table`'s Huffman code.
  @inline(__always) mutating func decode(_ table: HuffmanTable) throws(ConfigError) -> Int {
    if bufferedBits < table.indexBits { refill() }
    let entry = table.entries[Int(truncatingIfNeeded: buffer) & table.indexMask]
    let length = Int(entry & 15)
    guard length != 0 && length <= bufferedBits else {
      if bufferedBits < table.indexBits { throw truncated() }
      throw corrupt("invalid Huffman code")
    }
    buffer >>= UInt64(length)
    bufferedBits -= length
    return Int(entry >> 4)
  }

  /// Drops the bits left in the current byte (stored blocks start on a byte boundary).
  mutating func alignToByte() {
    let drop = bufferedBits % 8
    buffer >>= UInt64(drop)
    bufferedBits -= drop
  }

  /// Empties the (byte-aligned) bit buffer and returns the offset of the next unread byte.
  mutating func takeBufferedBytes() -> Int {
    position -= bufferedBits / 8
    buffer = 0
    bufferedBits = 0
    return position
  }

  func truncated() -> ConfigError {
    ConfigError(
      message: "compressed data ends early: the data being decoded at byte offset \(byteOffset) "
        + "runs past the end of the file (\(bytes.count) bytes)",
      expected: "a complete DEFLATE stream", hint: "the file is truncated; download it again")
  }

  func corrupt(_ problem: String) -> ConfigError {
    ConfigError(
      message: "corrupt compressed data at byte offset \(byteOffset): \(problem)",
      expected: "a valid DEFLATE stream (RFC 1951)", hint: "the file is damaged; download it again")
  }
}

/// A canonical Huffman code (RFC 1951 §3.2.2) as a table indexed by the next `indexBits` input
/// bits (bit-reversed codes, every suffix filled); each entry is `symbol << 4 | codeLength`, and
/// 0 marks bit patterns no code starts with (incomplete codes).
struct HuffmanTable {
  var entries: [UInt32] = [0, 0]
  var indexBits = 1
  var indexMask = 1

  /// Rebuilds the table from code lengths (0 = symbol unused); returns a problem or nil.
  mutating func build(_ lengths: ArraySlice<UInt8>) -> String? {
    var counts = [Int](repeating: 0, count: 16)
    var maxLength = 1
    for length in lengths {
      guard length <= 15 else { return "using a code length \(length) above 15" }
      counts[Int(length)] += 1
      maxLength = max(maxLength, Int(length))
    }
    counts[0] = 0
    var left = 1
    var nextCode = [Int](repeating: 0, count: 16)
    var code = 0
    for length in 1...15 {
      left = left << 1 - counts[length]
      guard left >= 0 else { return "over-subscribed" }
      code = (code + counts[length - 1]) << 1
      nextCode[length] = code
    }
    let size = 1 << maxLength
    if entries.count == size {
      for i in 0..<size { entries[i] = 0 }
    } else {
      entries = [UInt32](repeating: 0, count: size)
    }
    indexBits = maxLength
    indexMask = size - 1
    for (symbol, length8) in lengths.enumerated() where length8 != 0 {
      let length = Int(length8)
      var reversed = 0
      var c = nextCode[length]
      nextCode[length] += 1
      for _ in 0..<length {
        reversed = reversed << 1 | c & 1
        c >>= 1
      }
      let entry = UInt32(symbol << 4 | length)
      var i = reversed
      while i < size {
        entries[i] = entry
        i += 1 << length
      }
    }
    return nil
  }
}
