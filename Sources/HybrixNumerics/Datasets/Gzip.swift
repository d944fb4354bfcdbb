import HybrixCore

/// Reads gzip files (RFC 1952, https://www.rfc-editor.org/rfc/rfc1952) in pure Swift.
///
/// Each member is a 10-byte header (ID1 0x1f, ID2 0x8b, CM 8 = deflate, FLG, MTIME, XFL, OS),
/// the optional fields FLG asks for (FEXTRA, FNAME, FCOMMENT, FHCRC, in that order), a raw DEFLATE
/// stream (``Inflate``), then CRC-32 and ISIZE (input size mod 2³²), both little-endian. Both are
/// verified, as is the header CRC-16 when present. Members are concatenated (§2.2), as
/// `cat a.gz b.gz` gives; bytes after the last member that do not start another one are an error.
public enum Gzip {
  /// The decompressed contents of all members of `data`, concatenated.
  ///
  /// Errors carry no file name; callers add it with ``ConfigError/inFile(_:)``.
  /// - Complexity: O(*n*) in the output size.
  public static func decompress(_ data: [UInt8]) throws(ConfigError) -> [UInt8] {
    guard !data.isEmpty else {
      throw ConfigError(message: "empty file", expected: "gzip data (RFC 1952)")
    }
    var result: [UInt8] = []
    var offset = 0
    while offset < data.count {
      let member = try decompressMember(data, at: offset)
      if result.isEmpty { result = member.bytes } else { result += member.bytes }
      offset = member.end
    }
    return result
  }

  /// One member starting at `start`: its bytes and the offset just past its trailer.
  static func decompressMember(_ data: [UInt8], at start: Int) throws(ConfigError) -> (
    bytes: [UInt8], end: Int
  ) {
    var offset = start
    func need(_ n: Int, _ what: String) throws(ConfigError) {
      guard data.count - offset >= n else {
        throw ConfigError(
          message: "gzip data ends early at byte offset \(data.count) while reading \(what)",
          expected: "\(n) more byte\(n == 1 ? "" : "s")", hint: "the file is truncated; download it again")
      }
    }
    func header(_ problem: String, expected: String) -> ConfigError {
      ConfigError(
        message: "bad gzip header at byte offset \(offset): \(problem)", expected: expected,
        hint: start == 0 ? "is this a gzip file?" : "trailing bytes after the last gzip member")
    }

    try need(10, "the gzip header")
    guard data[offset] == 0x1F, data[offset + 1] == 0x8B else {
      throw header(
        "magic bytes are \(hex(data[offset])) \(hex(data[offset + 1]))", expected: "0x1f 0x8b")
    }
    offset += 2
    guard data[offset] == 8 else {
      throw header("compression method \(data[offset])", expected: "8 (deflate)")
    }
    let flags = data[offset + 1]
    guard flags & 0xE0 == 0 else {
      throw header("reserved flag bits set in \(hex(flags))", expected: "flag bits 5-7 clear")
    }
    offset += 8  // CM, FLG, MTIME, XFL, OS
    if flags & 0x04 != 0 {  // FEXTRA: XLEN, then XLEN bytes of subfields
      try need(2, "the FEXTRA length")
      let extraLength = Int(data[offset]) | Int(data[offset + 1]) << 8
      offset += 2
      try need(extraLength, "the FEXTRA field")
      offset += extraLength
    }
    for (flag, name) in [(UInt8(0x08), "FNAME"), (0x10, "FCOMMENT")] where flags & flag != 0 {
      // Zero-terminated ISO 8859-1 strings; their contents are not needed.
      while true {
        try need(1, "the \(name) field")
        offset += 1
        if data[offset - 1] == 0 { break }
      }
    }
    if flags & 0x02 != 0 {  // FHCRC: low 16 bits of the CRC-32 of the header so far
      try need(2, "the header CRC-16")
      let stored = UInt32(data[offset]) | UInt32(data[offset + 1]) << 8
      let actual = CRC32.checksum(data[start..<offset]) & 0xFFFF
      guard stored == actual else {
        throw header("header CRC-16 is \(hex(stored))", expected: "\(hex(actual))")
      }
      offset += 2
    }

    // ISIZE of the last member, only to preallocate: a truncated or damaged file holds garbage
    // there, so cap it by DEFLATE's largest expansion (258 bytes from 2 bits, ~1032:1).
    let storedISIZE = data.count >= 4 ? Int(littleEndian32(data, at: data.count - 4)) : 0
    let sizeHint = min(storedISIZE, (data.count - offset).multipliedReportingOverflow(by: 1032).partialValue)
    let (bytes, deflateEnd) = try Inflate.decompress(data, from: offset, sizeHint: sizeHint)
    offset = deflateEnd
    try need(8, "the CRC-32 and ISIZE trailer")
    let storedCRC = littleEndian32(data, at: offset)
    let storedSize = littleEndian32(data, at: offset + 4)
    let actualCRC = CRC32.checksum(bytes[...])
    guard storedCRC == actualCRC else {
      throw ConfigError(
        message: "gzip CRC-32 mismatch at byte offset \(offset): data decompresses with CRC "
          + "\(hex(actualCRC))", expected: "\(hex(storedCRC)) as stored",
        hint: "the file is corrupt; download it again")
    }
    guard storedSize == UInt32(truncatingIfNeeded: bytes.count) else {
      throw ConfigError(
        message: "gzip ISIZE mismatch at byte offset \(offset + 4): decompressed "
          + "\(bytes.count) bytes", expected: "\(storedSize) (mod 2^32) as stored",
        hint: "the file is corrupt; download it again")
    }
    return (bytes, offset + 8)
  }

  static func littleEndian32(_ data: [UInt8], at i: Int) -> UInt32 {
    UInt32(data[i]) | UInt32(data[i + 1]) << 8 | UInt32(data[i + 2]) << 16
      | UInt32(data[i + 3]) << 24
  }

  static func hex(_ value: some BinaryInteger) -> String { "0x" + String(value, radix: 16) }
}

/// CRC-32 as in gzip, zlib and PNG (polynomial 0xEDB88320 reflected; ISO 3309, RFC 1952 §8),
/// computed slicing-by-8 (Intel, "A Systematic Approach to Building High Performance
/// Software-based CRC Generators", 2005): eight 256-entry tables, one 8-byte step per iteration.
public enum CRC32 {
  static let tables: [UInt32] = {
    var t = [UInt32](repeating: 0, count: 8 * 256)
    for n in 0..<256 {
      var c = UInt32(n)
      for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
      t[n] = c
    }
    for n in 0..<256 {
      for k in 1..<8 { t[k * 256 + n] = (t[(k - 1) * 256 + n] >> 8) ^ t[Int(t[(k - 1) * 256 + n] & 0xFF)] }
    }
    return t
  }()

  /// The CRC-32 of `bytes` (0 for none; `CRC32.checksum("123456789")` is 0xCBF43926).
  public static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
    let t = tables
    var crc: UInt32 = 0xFFFF_FFFF
    bytes.withUnsafeBufferPointer { p in
      t.withUnsafeBufferPointer { t in
        var i = 0
        while i + 8 <= p.count {
          let a = crc ^ (UInt32(p[i]) | UInt32(p[i + 1]) << 8 | UInt32(p[i + 2]) << 16
            | UInt32(p[i + 3]) << 24)
          crc = t[7 * 256 + Int(a & 0xFF)] ^ t[6 * 256 + Int((a >> 8) & 0xFF)]
            ^ t[5 * 256 + Int((a >> 16) & 0xFF)] ^ t[4 * 256 + Int(a >> 24)]
            ^ t[3 * 256 + Int(p[i + 4])] ^ t[2 * 256 + Int(p[i + 5])]
            ^ t[256 + Int(p[i + 6])] ^ t[Int(p[i + 7])]
          i += 8
        }
        while i < p.count {
          crc = t[Int((crc ^ UInt32(p[i])) & 0xFF)] ^ (crc >> 8)
          i += 1
        }
      }
    }
    return ~crc
  }
}
