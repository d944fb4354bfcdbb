/// ONNX element types (`TensorProto.DataType`) Hybrix distinguishes.
enum ONNXDataType {
  static let float: Int32 = 1
  static let int64: Int32 = 7
  static let bool: Int32 = 9
  static let double: Int32 = 11

  /// Floating-point types: float, float16, double, bfloat16 and the float8/float4 formats.
  static func isFloatingPoint(_ t: Int32) -> Bool {
    [1, 10, 11, 16, 17, 18, 19, 20, 23].contains(t)
  }

  /// Integer and boolean types whose values a shape computation can use.
  static func isInteger(_ t: Int32) -> Bool { [2, 3, 4, 5, 6, 7, 9, 12, 13, 21, 22].contains(t) }
}

/// `TensorProto` (an initializer or a constant): shape, element type and, where Hybrix uses them,
/// the values. Data stays in its wire form until asked for.
struct ONNXTensor: Sendable {
  var name = ""
  /// Dimensions exactly as stored (may be negative or huge in a bad file).
  var dims: [Int64] = []
  var dataType: Int32 = 0
  /// `float_data` as IEEE bit patterns.
  var floatData: [UInt32] = []
  /// `int32_data` (int32, int16, int8, uint8, uint16, bool, float16 bits) as varints.
  var int32Data: [UInt64] = []
  var int64Data: [UInt64] = []
  var uint64Data: [UInt64] = []
  /// `double_data` as bit patterns.
  var doubleData: [UInt64] = []
  var rawData: ArraySlice<UInt8>? = nil
  /// Whether the values live in an external file (`data_location = EXTERNAL`).
  var isExternal = false
  /// `external_data` key/value entries (`location`, `offset`, `length`, `checksum`) in file order.
  var externalData: [(key: String, value: String)] = []

  init() {}

  /// Fields: dims = 1, data_type = 2, float_data = 4, int32_data = 5, int64_data = 7, name = 8,
  /// raw_data = 9, double_data = 10, uint64_data = 11, external_data = 13, data_location = 14.
  init(_ r: inout ProtobufReader) throws(ProtobufError) {
    var dimWords: [UInt64] = []
    while !r.isAtEnd {
      let (field, wire) = try r.readTag()
      switch field {
      case 1: try r.readVarints(wire, into: &dimWords)
      case 2:
        try r.expect(wire, .varint, field: field)
        dataType = Int32(truncatingIfNeeded: try r.readVarint())
      case 4: try r.readFixed32s(wire, into: &floatData)
      case 5: try r.readVarints(wire, into: &int32Data)
      case 7: try r.readVarints(wire, into: &int64Data)
      case 8:
        try r.expect(wire, .lengthDelimited, field: field)
        name = try r.readString()
      case 9:
        try r.expect(wire, .lengthDelimited, field: field)
        rawData = try r.readBytes()
      case 10: try r.readFixed64s(wire, into: &doubleData)
      case 11: try r.readVarints(wire, into: &uint64Data)
      case 13:
        try r.expect(wire, .lengthDelimited, field: field)
        isExternal = true
        externalData.append(
          try r.readMessage("external_data[\(externalData.count)]") {
            (s) throws(ProtobufError) in try Self.stringEntry(&s)
          })
      case 14:
        try r.expect(wire, .varint, field: field)
        if try r.readVarint() == 1 { isExternal = true }
      default: try r.skip(wire)
      }
    }
    dims = dimWords.map { Int64(bitPattern: $0) }
  }

  /// `StringStringEntryProto`: key = 1, value = 2.
  private static func stringEntry(_ r: inout ProtobufReader) throws(ProtobufError) -> (key: String, value: String) {
    var key = ""
    var value = ""
    while !r.isAtEnd {
      let (field, wire) = try r.readTag()
      switch field {
      case 1:
        try r.expect(wire, .lengthDelimited, field: field)
        key = try r.readString()
      case 2:
        try r.expect(wire, .lengthDelimited, field: field)
        value = try r.readString()
      default: try r.skip(wire)
      }
    }
    return (key, value)
  }

  /// `SparseTensorProto` (values = 1, indices = 2, dims = 3): the dense shape and element type;
  /// the values are not kept.
  init(sparse r: inout ProtobufReader) throws(ProtobufError) {
    var dimWords: [UInt64] = []
    while !r.isAtEnd {
      let (field, wire) = try r.readTag()
      switch field {
      case 1:
        try r.expect(wire, .lengthDelimited, field: field)
        let values = try r.readMessage("values") { (s) throws(ProtobufError) in try ONNXTensor(&s) }
        name = values.name
        dataType = values.dataType
      case 3: try r.readVarints(wire, into: &dimWords)
      default: try r.skip(wire)
      }
    }
    dims = dimWords.map { Int64(bitPattern: $0) }
    isExternal = true
  }

  /// Whether the tensor carries no values in this file.
  var hasNoData: Bool {
    rawData == nil && floatData.isEmpty && int32Data.isEmpty && int64Data.isEmpty
      && uint64Data.isEmpty && doubleData.isEmpty
  }

  /// The values of a float or double tensor of `count` elements, `nil` for other types or
  /// values stored elsewhere; an error message when the stored data has the wrong size.
  func floatValues(count: Int) -> Result<[Float]?, TensorDataError> {
    guard dataType == ONNXDataType.float || dataType == ONNXDataType.double else { return .success(nil) }
    let double = dataType == ONNXDataType.double
    if isExternal || (hasNoData && count > 0) { return .success(nil) }
    if let raw = rawData {
      let width = double ? 8 : 4
      guard raw.count / width == count, raw.count % width == 0 else {
        return .failure(
          TensorDataError(found: "\(raw.count) bytes of raw_data", expected: "\(count) × \(width) bytes"))
      }
      // The size check above keeps every load inside the buffer.
      let out = raw.withUnsafeBytes { buffer in
        (0..<count).map { i in
          double
            ? Float(
              Double(
                bitPattern: UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))
              ))
            : Float(
              bitPattern: UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
        }
      }
      return .success(out)
    }
    let stored = double ? doubleData.count : floatData.count
    guard stored == count else {
      let field = double ? "double_data" : "float_data"
      return .failure(TensorDataError(found: "\(stored) values in \(field)", expected: "\(count) values"))
    }
    return .success(
      double ? doubleData.map { Float(Double(bitPattern: $0)) } : floatData.map(Float.init(bitPattern:)))
  }

  /// The values of an integer or boolean tensor of `count` elements, `nil` for other types or
  /// values stored elsewhere.
  func intValues(count: Int) -> Result<[Int]?, TensorDataError> {
    guard ONNXDataType.isInteger(dataType), !isExternal else { return .success(nil) }
    // Bytes per element and signedness in raw_data.
    let layout: [Int32: (Int, Bool)] = [
      2: (1, false), 3: (1, true), 4: (2, false), 5: (2, true), 6: (4, true), 7: (8, true),
      9: (1, false), 12: (4, false), 13: (8, false),
    ]
    if let raw = rawData {
      guard let (width, signed) = layout[dataType] else { return .success(nil) }
      guard raw.count % width == 0, raw.count / width == count else {
        return .failure(
          TensorDataError(found: "\(raw.count) bytes of raw_data", expected: "\(count) × \(width) bytes"))
      }
      var out = [Int]()
      out.reserveCapacity(count)
      var i = raw.startIndex
      while i < raw.endIndex {
        var bits: UInt64 = 0
        for b in 0..<width { bits |= UInt64(raw[i + b]) << (8 * UInt64(b)) }
        if signed, width < 8, bits & (1 << UInt64(8 * width - 1)) != 0 {
          bits |= ~((1 << UInt64(8 * width)) - 1)  // sign-extend
        }
        out.append(Int(truncatingIfNeeded: Int64(bitPattern: bits)))
        i += width
      }
      return .success(out)
    }
    let words: [UInt64]
    switch dataType {
    case 7: words = int64Data
    case 12, 13: words = uint64Data
    default: words = int32Data
    }
    if words.isEmpty && count > 0 { return .success(nil) }
    guard words.count == count else {
      return .failure(TensorDataError(found: "\(words.count) stored values", expected: "\(count) values"))
    }
    if [7, 12, 13].contains(dataType) { return .success(words.map { Int(truncatingIfNeeded: $0) }) }
    // int32_data holds varints of int32 values (negative ones sign-extended to 64 bits).
    return .success(words.map { Int(Int32(truncatingIfNeeded: $0)) })
  }
}

/// Stored tensor data whose size does not match the tensor's shape.
struct TensorDataError: Error, Hashable, Sendable {
  var found: String
  var expected: String
}
