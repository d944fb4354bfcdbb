extension ONNXImporter.Converter {
  /// `LSTM ×2, Resize ×1`: most frequent first, then by name.
  static func tally(_ counts: [String: Int]) -> String {
    counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
      .map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
  }

  /// What the user should know about the conversion, one line each.
  func warnings() -> [String] {
    var lines: [String] = []
    if !unsupported.isEmpty {
      lines.append("unsupported operators kept as 'other': \(Self.tally(unsupported))")
    }
    if !uninferred.isEmpty {
      lines.append(
        "operators whose output shapes could not be inferred, kept as 'other' with the shapes the "
          + "file declares: \(Self.tally(uninferred))")
    }
    if !shapeless.isEmpty {
      lines.append(
        "operators with outputs of unknown shape (declared nowhere in the file; operators reading "
          + "them lose those inputs; run onnx.shape_inference to add them): \(Self.tally(shapeless))")
    }
    if !missingOutputs.isEmpty {
      lines.append(
        "graph outputs of unknown shape left out: \(missingOutputs.prefix(5).joined(separator: ", "))"
          + (missingOutputs.count > 5 ? " and \(missingOutputs.count - 5) more" : ""))
    }
    if !mismatches.isEmpty {
      let more = mismatches.count > 3 ? " (and \(mismatches.count - 3) more)" : ""
      lines.append(
        "inferred shapes differ from the shapes the file declares\(more): "
          + mismatches.prefix(3).joined(separator: "; "))
    }
    if externalWeights > 0 {
      lines.append(
        "\(externalWeights) initializer\(externalWeights == 1 ? "" : "s") keep their values in "
          + "external data: shapes are used, values are not loaded")
    }
    let unused = bindings.keys.filter { !usedBindings.contains($0) }.sorted()
    if !unused.isEmpty {
      lines.append(
        "--dim \(unused.joined(separator: ", ")) matches no symbolic dimension of the graph inputs")
    }
    return lines
  }
}
