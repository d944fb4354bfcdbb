import Foundation
import HybrixCore

/// Initializers whose values live in a separate file (`data_location = EXTERNAL`), as current
/// PyTorch exporters write models above 2 GiB and `onnx.save_model(…, save_as_external_data=True)`
/// writes any model.
///
/// Each such tensor has `external_data` entries: `location` (a path relative to the model's
/// folder), `offset` (bytes, default 0) and `length` (bytes, default: to the end of the file);
/// the values are little-endian raw data, as `raw_data` would hold them
/// (https://onnx.ai/onnx/repo-docs/ExternalData.html). A location outside the model's folder
/// (absolute, with `..`, or a symbolic link leading out) is refused, as onnx's checker does.
extension ONNXGraph {
  /// Reads every external initializer's bytes into its `rawData`, checking the location, the
  /// range and the byte count against the tensor's shape and type.
  ///
  /// - Parameter modelFile: The `.onnx` file's path; locations are resolved beside it.
  /// - Throws: ``ConfigError`` naming the model file, `graph.initializer[i](name).external_data`
  ///   and the data file: a missing file, a range beyond its end, a location escaping the folder.
  mutating func loadExternalData(modelFile: String) throws(ConfigError) {
    guard initializers.contains(where: \.isExternal) else { return }
    let folder = URL(fileURLWithPath: modelFile).deletingLastPathComponent().standardizedFileURL
    var handles: [String: FileHandle] = [:]
    defer { for h in handles.values { try? h.close() } }
    for i in initializers.indices where initializers[i].isExternal {
      let t = initializers[i]
      let path = "graph.initializer[\(i)](\(t.name)).external_data"
      do throws(ConfigError) {
        initializers[i].rawData = try ExternalTensorData.read(t, folder: folder, handles: &handles)
        initializers[i].isExternal = false
      } catch {
        throw error.underPath(path).inFile(modelFile)
      }
    }
  }
}

/// Reading one tensor's external bytes (see ``ONNXGraph/loadExternalData(modelFile:)``).
enum ExternalTensorData {
  static let reexportHint =
    "keep the data file beside the model, or save the model with its weights inside: "
    + "onnx.save_model(onnx.load(PATH), OUT, save_as_external_data=False) (models under 2 GiB)"

  /// Bytes per element of the types whose raw data Hybrix decodes.
  static let elementWidth: [Int32: Int] = [
    1: 4, 2: 1, 3: 1, 4: 2, 5: 2, 6: 4, 7: 8, 9: 1, 10: 2, 11: 8, 12: 4, 13: 8, 16: 2,
  ]

  static func read(_ t: ONNXTensor, folder: URL, handles: inout [String: FileHandle])
    throws(ConfigError) -> ArraySlice<UInt8>
  {
    let entries = Dictionary(t.externalData.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
    guard let location = entries["location"], !location.isEmpty else {
      throw ConfigError(
        message: "tensor '\(t.name)' is stored externally but names no location",
        expected: "an external_data entry with key 'location'", hint: reexportHint)
    }
    let url = try resolve(location, folder: folder, tensor: t.name)
    let offset = try number(entries["offset"], key: "offset", default: 0, tensor: t.name)
    let fileSize: Int
    do {
      let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
      fileSize = (attributes[.size] as? NSNumber)?.intValue ?? 0
    } catch {
      throw ConfigError(
        path: "location", message: "data file '\(location)' of tensor '\(t.name)' does not exist (\(url.path))",
        expected: "the external data file beside the model", hint: reexportHint)
    }
    let length = try number(entries["length"], key: "length", default: max(0, fileSize - offset), tensor: t.name)
    guard offset <= fileSize, length <= fileSize - offset else {
      throw ConfigError(
        path: entries["length"] == nil ? "offset" : "length",
        message: "tensor '\(t.name)' asks for \(length) bytes at offset \(offset) of '\(location)', "
          + "which holds \(fileSize) bytes",
        expected: "offset + length ≤ the data file's size",
        hint: "the data file may be truncated or belong to another export of the model")
    }
    if let width = elementWidth[t.dataType], let count = elementCount(t.dims) {
      let (bytes, overflow) = count.multipliedReportingOverflow(by: width)
      guard !overflow, bytes == length else {
        throw ConfigError(
          path: "length",
          message: "tensor '\(t.name)' has \(length) bytes in '\(location)' for shape \(t.dims)",
          expected: "\(count) × \(width) bytes of \(ONNXProgram.elementTypeName(t.dataType))")
      }
    }
    do {
      let handle: FileHandle
      if let open = handles[url.path] {
        handle = open
      } else {
        handle = try FileHandle(forReadingFrom: url)
        handles[url.path] = handle
      }
      try handle.seek(toOffset: UInt64(offset))
      let data = try handle.read(upToCount: length) ?? Data()
      guard data.count == length else {
        throw ConfigError(
          path: "length", message: "read \(data.count) of \(length) bytes of tensor '\(t.name)' from '\(location)'",
          expected: "\(length) bytes")
      }
      return ArraySlice([UInt8](data))
    } catch let error as ConfigError {
      throw error
    } catch {
      throw ConfigError(
        path: "location", message: "cannot read '\(location)' for tensor '\(t.name)': \(error.localizedDescription)",
        expected: "a readable external data file", hint: "check the file's permissions")
    }
  }

  /// The data file's URL inside `folder`; a location that leaves it is an error.
  static func resolve(_ location: String, folder: URL, tensor: String) throws(ConfigError) -> URL {
    let parts = location.split(separator: "/", omittingEmptySubsequences: false)
    let escapes =
      location.hasPrefix("/") || location.hasPrefix("~") || location.contains("\\")
      || parts.contains("..") || location.contains("\0")
    let url = folder.appendingPathComponent(location).standardizedFileURL
    let real = url.resolvingSymlinksInPath().path
    let root = folder.resolvingSymlinksInPath().path
    let inside = real == root || real.hasPrefix(root.hasSuffix("/") ? root : root + "/")
    guard !escapes, inside, real != root else {
      throw ConfigError(
        path: "location",
        message: "data file '\(location)' of tensor '\(tensor)' is outside the model's folder",
        expected: "a path relative to the model's folder, without '..'",
        hint: "move the data file beside the model and set its location to the file name")
    }
    return url
  }

  static func number(_ text: String?, key: String, default value: Int, tensor: String) throws(ConfigError) -> Int {
    guard let text else { return value }
    guard let n = Int(text), n >= 0 else {
      throw ConfigError(
        path: key, message: "\(key) '\(text)' of tensor '\(tensor)'", expected: "a byte count ≥ 0")
    }
    return n
  }

  static func elementCount(_ dims: [Int64]) -> Int? {
    var n = 1
    for d in dims {
      guard d >= 0 else { return nil }
      let (p, o) = n.multipliedReportingOverflow(by: Int(d))
      if o { return nil }
      n = p
    }
    return n
  }
}
