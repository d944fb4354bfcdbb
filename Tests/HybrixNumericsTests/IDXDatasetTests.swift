import HybrixCore
import Testing

@testable import HybrixNumerics

@Suite struct IDXDatasetTests {
  @Test func parsesBigEndianDimensions() throws {
    // Written by hand: 300 × 2 unsigned bytes (300 = 0x012C tests the big-endian order).
    let header: [UInt8] = [0, 0, 0x08, 2, 0, 0, 0x01, 0x2C, 0, 0, 0, 2]
    let elements = (0..<600).map { UInt8(truncatingIfNeeded: $0) }
    let array = try IDX.parse(header + elements)
    #expect(array.shape == [300, 2])
    #expect(Array(array.elements) == elements)
    #expect(IDX.encode(shape: [300, 2], elements: elements) == header + elements)
  }

  @Test func roundTripsAnEncodedFile() throws {
    let elements = (0..<24).map { UInt8($0 * 10) }
    let array = try IDX.parse(IDX.encode(shape: [2, 3, 4], elements: elements))
    #expect(array.shape == [2, 3, 4] && Array(array.elements) == elements)
  }

  @Test func sizeMismatchesThrow() {
    let file = IDX.encode(shape: [3, 4], elements: [UInt8](repeating: 1, count: 12))
    #expect {
      try IDX.parse(Array(file.dropLast()))
    } throws: { error in
      guard let error = error as? ConfigError else { return false }
      return error.path == "dims" && error.message.contains("need 12 bytes")
        && error.message.contains("has 11 (truncated at byte offset 23)")
        && error.expected == "file size 24 bytes"
    }
    #expect { try IDX.parse(file + [0]) } throws: { "\($0)".contains("but the file has 13") }
    #expect { try IDX.parse(Array(file.prefix(10))) } throws: {
      "\($0)".contains("declares 2 dimensions but the file is 10 bytes")
    }
  }

  @Test func badMagicAndTypesThrow() {
    #expect { try IDX.parse([0, 0]) } throws: { "\($0)".contains("too short") }
    #expect { try IDX.parse([0x1F, 0x8B, 8, 0, 0, 0, 0, 0]) } throws: {
      "\($0)".contains("is this an IDX file")
    }
    #expect { try IDX.parse([0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0]) } throws: {
      "\($0)".contains("unsupported IDX element type 0xd (float)")
    }
    #expect { try IDX.parse([0, 0, 0x08, 0]) } throws: { "\($0)".contains("0 dimensions") }
  }
}
