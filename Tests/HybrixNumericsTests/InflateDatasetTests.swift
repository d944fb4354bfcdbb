import Foundation
import HybrixCore
import Testing

@testable import HybrixNumerics

/// Fixtures written by `scripts/make_gzip_fixtures.py` with Python's zlib; each `.gz` has its
/// original as `.bin`.
enum GzipFixtures {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures/gzip")
  static let names = ["empty", "stored", "fixed", "dynamic", "two_member", "header"]
  /// Fixtures holding one member: every proper prefix of them is incomplete.
  static let singleMember = ["empty", "stored", "fixed", "dynamic", "header"]

  static func bytes(_ file: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: directory.appendingPathComponent(file)))
  }
}

@Suite struct InflateDatasetTests {
  @Test(arguments: GzipFixtures.names)
  func fixtureDecompressesToItsOriginal(_ name: String) throws {
    let compressed = try GzipFixtures.bytes(name + ".gz")
    let original = try GzipFixtures.bytes(name + ".bin")
    #expect(try Gzip.decompress(compressed) == original)
  }

  @Test func crc32MatchesTheCheckValue() {
    #expect(CRC32.checksum(Array("123456789".utf8)[...]) == 0xCBF4_3926)
    #expect(CRC32.checksum([][...]) == 0)
    // Lengths 0...20 exercise the 8-byte and the byte-at-a-time loops against a bitwise CRC.
    let bytes = (0..<20).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
    for n in 0...bytes.count {
      var crc: UInt32 = 0xFFFF_FFFF
      for b in bytes[..<n] {
        crc ^= UInt32(b)
        for _ in 0..<8 { crc = crc & 1 != 0 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
      }
      #expect(CRC32.checksum(bytes[..<n]) == ~crc, "length \(n)")
    }
  }

  @Test func crcAndSizeMismatchesThrow() throws {
    let good = try GzipFixtures.bytes("dynamic.gz")
    var badCRC = good
    badCRC[good.count - 8] ^= 0x01
    #expect {
      try Gzip.decompress(badCRC)
    } throws: { error in
      "\(error)".contains("CRC-32 mismatch at byte offset \(good.count - 8)")
    }
    var badSize = good
    badSize[good.count - 1] ^= 0x80
    #expect { try Gzip.decompress(badSize) } throws: { "\($0)".contains("ISIZE mismatch") }
    var badHeaderCRC = try GzipFixtures.bytes("header.gz")
    badHeaderCRC[12] ^= 0xFF  // inside FEXTRA, covered by the FHCRC
    #expect { try Gzip.decompress(badHeaderCRC) } throws: { "\($0)".contains("header CRC-16") }
  }

  @Test(arguments: GzipFixtures.singleMember)
  func everyTruncationThrows(_ name: String) throws {
    let full = try GzipFixtures.bytes(name + ".gz")
    for length in 0..<full.count {
      #expect(throws: ConfigError.self, "prefix of \(length) bytes") {
        try Gzip.decompress(Array(full[..<length]))
      }
    }
  }

  @Test func truncationErrorNamesTheByteOffset() throws {
    let full = try GzipFixtures.bytes("dynamic.gz")
    #expect {
      try Gzip.decompress(Array(full[..<1000]))
    } throws: { error in
      let text = "\(error)"
      return text.contains("ends early") && text.contains("(1000 bytes)") && text.contains("truncated")
    }
  }

  @Test func badMagicAndTrailingGarbageThrow() throws {
    #expect { try Gzip.decompress([]) } throws: { "\($0)".contains("empty file") }
    #expect { try Gzip.decompress(Array("plain text file".utf8)) } throws: {
      "\($0)".contains("magic bytes are 0x70 0x6c")
    }
    let good = try GzipFixtures.bytes("fixed.gz")
    #expect { try Gzip.decompress(good + Array("trailing garbage".utf8)) } throws: {
      "\($0)".contains("trailing bytes after the last gzip member")
    }
  }

  /// ~1000 seeded mutations: decoding never traps, and whatever it returns is the original (the
  /// CRC-32 catches corruption that still decodes).
  @Test(arguments: ["dynamic", "stored", "header", "two_member"])
  func randomMutationsThrowOrDecodeExactly(_ name: String) throws {
    let good = try GzipFixtures.bytes(name + ".gz")
    let original = try GzipFixtures.bytes(name + ".bin")
    var rng = SplitMix64(seed: 0x6A17)
    for trial in 0..<250 {
      var bad = good
      for _ in 0..<(1 + Int(rng.next() % 3)) {
        let i = Int(rng.next() % UInt64(bad.count))
        bad[i] ^= UInt8(truncatingIfNeeded: 1 + rng.next() % 255)
      }
      if let decoded = try? Gzip.decompress(bad) {
        #expect(decoded == original, "trial \(trial)")
      }
    }
  }

  /// Raw DEFLATE has no checksum: mutations must still only throw or return bounded output.
  @Test func rawInflateMutationsNeverTrap() throws {
    let good = try GzipFixtures.bytes("dynamic.gz")
    let body = Array(good[10..<(good.count - 8)])
    var rng = SplitMix64(seed: 99)
    for _ in 0..<300 {
      var bad = body
      let i = Int(rng.next() % UInt64(bad.count))
      bad[i] ^= UInt8(truncatingIfNeeded: 1 + rng.next() % 255)
      if let (bytes, end) = try? Inflate.decompress(bad) {
        #expect(end <= bad.count)
        #expect(bytes.count <= 258 * 8 * bad.count)
      }
    }
  }

  @Test func handBuiltStreams() throws {
    // Fixed block: literal "A", then length 3 at distance 1 (overlapping copy), end of block.
    #expect(try Inflate.decompress([115, 4, 2, 0]).bytes == Array("AAAA".utf8))
    // Stored block "hi" after two junk bytes; `end` is the offset after the stream.
    let stored: [UInt8] = [9, 9, 1, 2, 0, 0xFD, 0xFF, 104, 105, 42]
    let result = try Inflate.decompress(stored, from: 2)
    #expect(result.bytes == Array("hi".utf8) && result.end == 9)
    #expect { try Inflate.decompress([1, 2, 0, 0xFD, 0xFE, 104, 105]) } throws: {
      "\($0)".contains("does not match its complement")
    }
    #expect { try Inflate.decompress([0x07]) } throws: { "\($0)".contains("reserved block type") }
    // Fixed block starting with a match: nothing to copy from yet.
    #expect { try Inflate.decompress([3, 2, 0]) } throws: { "\($0)".contains("distance 1") }
  }
}
