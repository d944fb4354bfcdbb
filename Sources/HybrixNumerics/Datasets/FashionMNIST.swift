import Foundation
import HybrixCore

/// Labelled images for training and accuracy runs: `images` is `[N, channels, height, width]`
/// with pixels scaled to 0...1, `labels[i]` is the class index of image `i`.
public struct Dataset: Sendable, Hashable {
  public var images: Tensor
  public var labels: [Int]
  /// `classNames[label]` names a class.
  public var classNames: [String]

  public init(images: Tensor, labels: [Int], classNames: [String]) {
    precondition(images.shape.first == labels.count, "\(labels.count) labels for \(images.shape)")
    precondition(labels.allSatisfy { classNames.indices.contains($0) }, "label outside classes")
    self.images = images
    self.labels = labels
    self.classNames = classNames
  }

  /// Number of samples.
  public var count: Int { labels.count }

  /// A seeded random permutation of `0..<count` (the same for a seed on every machine).
  public func shuffledIndices(seed: UInt64) -> [Int] {
    var rng = SplitMix64(seed: seed)
    return Self.shuffledIndices(count: count, rng: &rng)
  }

  /// A random permutation of `0..<count` (see ``Batching/shuffledIndices(count:rng:)``).
  public static func shuffledIndices(count: Int, rng: inout some RandomNumberGenerator) -> [Int] {
    Batching.shuffledIndices(count: count, rng: &rng)
  }

  /// The samples at `indices`, in that order, as one batch.
  public func batch(_ indices: [Int]) -> Batch {
    let sampleShape = Array(images.shape.dropFirst())
    let sampleSize = sampleShape.reduce(1, *)
    var scalars = [Float](repeating: 0, count: indices.count * sampleSize)
    images.scalars.withUnsafeBufferPointer { source in
      scalars.withUnsafeMutableBufferPointer { target in
        for (row, index) in indices.enumerated() {
          precondition(index >= 0 && index < count, "sample \(index) outside 0..<\(count)")
          for k in 0..<sampleSize { target[row * sampleSize + k] = source[index * sampleSize + k] }
        }
      }
    }
    return Batch(
      images: Tensor(shape: [indices.count] + sampleShape, scalars: scalars),
      labels: indices.map { labels[$0] }, indices: indices)
  }

  /// Mini-batches of `size` samples in an order shuffled by `rng`, covering every sample once
  /// per pass; the last batch is smaller unless `dropLast` drops it.
  public func batches(
    size: Int, rng: inout some RandomNumberGenerator, dropLast: Bool = false
  ) -> Batches {
    precondition(size > 0, "batch size \(size)")
    return Batches(
      dataset: self, order: Self.shuffledIndices(count: count, rng: &rng), size: size,
      dropLast: dropLast)
  }

  /// One mini-batch: images `[B, ...]`, their labels and their indices in the dataset.
  public struct Batch: Sendable, Hashable {
    public var images: Tensor
    public var labels: [Int]
    public var indices: [Int]
  }

  /// The batches of one shuffled pass, built lazily as they are iterated.
  public struct Batches: Sequence, IteratorProtocol, Sendable {
    let dataset: Dataset
    let order: [Int]
    let size: Int
    let dropLast: Bool
    var position = 0

    /// Number of batches in the pass.
    public var underestimatedCount: Int {
      dropLast ? order.count / size : (order.count + size - 1) / size
    }

    public mutating func next() -> Batch? {
      let end = Swift.min(position + size, order.count)
      guard position < end, !(dropLast && end - position < size) else { return nil }
      defer { position = end }
      return dataset.batch(Array(order[position..<end]))
    }
  }
}

/// Fashion-MNIST (Xiao, Rasul & Vollgraf, 2017, https://arxiv.org/abs/1708.07747): 28×28
/// grey-scale images of clothing in 10 classes, 60 000 for training and 10 000 for testing,
/// as gzipped IDX files. Debian packages them as `dataset-fashion-mnist`.
public enum FashionMNIST {
  public enum Split: String, Sendable, CaseIterable {
    case train, test
    /// File name prefix: `train-…` or `t10k-…`.
    var prefix: String { self == .train ? "train" : "t10k" }
  }

  public static let defaultDirectory = "/usr/share/datasets/fashion-mnist"
  public static let installHint = "sudo apt-get install dataset-fashion-mnist"
  /// Class names by label, as in the data set's README.
  public static let classNames = [
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
    "Ankle boot",
  ]

  /// Loads a split: images `[N, 1, 28, 28]` with pixel bytes divided by 255, and labels 0...9.
  ///
  /// - Parameters:
  ///   - directory: Folder holding `train-images-idx3-ubyte.gz` and the other three files.
  ///   - limit: Keep only the first `limit` samples (the files are still read and checked whole).
  /// - Throws: ``ConfigError`` naming the file: missing (with the apt-get hint), truncated or
  ///   corrupt (with the byte offset), or images and labels that do not fit together.
  public static func load(
    split: Split, directory: String = defaultDirectory, limit: Int? = nil
  ) throws(ConfigError) -> Dataset {
    precondition((limit ?? 0) >= 0, "negative limit \(limit ?? 0)")
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory),
      isDirectory.boolValue
    else {
      throw ConfigError(
        file: directory, message: "Fashion-MNIST directory not found",
        expected: "a directory with the four *-ubyte.gz files", hint: installHint)
    }
    let imagesPath = directory + "/\(split.prefix)-images-idx3-ubyte.gz"
    let labelsPath = directory + "/\(split.prefix)-labels-idx1-ubyte.gz"
    let images = try readIDX(imagesPath)
    let labels = try readIDX(labelsPath)

    guard images.shape.count == 3, images.shape[1] == 28, images.shape[2] == 28 else {
      throw ConfigError(
        file: imagesPath, path: "dims", message: "images have shape \(images.shape)",
        expected: "[N, 28, 28]")
    }
    guard labels.shape == [images.shape[0]] else {
      throw ConfigError(
        file: labelsPath, path: "dims", message: "labels have shape \(labels.shape)",
        expected: "[\(images.shape[0])], one per image in \(imagesPath)")
    }
    let n = min(limit ?? images.shape[0], images.shape[0])
    var labelValues = [Int](repeating: 0, count: n)
    for (i, byte) in labels.elements.prefix(n).enumerated() {
      guard byte < classNames.count else {
        throw ConfigError(
          file: labelsPath, path: "labels[\(i)]",
          message: "label \(byte) at byte offset \(labels.payloadOffset + i)",
          expected: "0...\(classNames.count - 1)")
      }
      labelValues[i] = Int(byte)
    }
    return Dataset(
      images: Tensor(shape: [n, 1, 28, 28], scalars: unitScaled(images.elements.prefix(n * 784))),
      labels: labelValues, classNames: classNames)
  }

  /// Reads, gunzips and parses one file, naming it in every error.
  static func readIDX(_ path: String) throws(ConfigError) -> IDXArray {
    guard let data = FileManager.default.contents(atPath: path) else {
      let exists = FileManager.default.fileExists(atPath: path)
      throw ConfigError(
        file: path, message: exists ? "file cannot be read" : "file not found",
        hint: exists ? "check its permissions" : installHint)
    }
    do {
      return try IDX.parse(try Gzip.decompress([UInt8](data)))
    } catch {
      throw error.inFile(path)
    }
  }

  /// Pixel bytes as Floats in 0...1 (byte / 255), through a 256-entry table.
  static func unitScaled(_ bytes: ArraySlice<UInt8>) -> [Float] {
    let table = (0..<256).map { Float($0) / 255 }
    return [Float](unsafeUninitializedCapacity: bytes.count) { buffer, initialized in
      table.withUnsafeBufferPointer { table in
        bytes.withUnsafeBufferPointer { source in
          for i in 0..<source.count { buffer[i] = table[Int(source[i])] }
        }
      }
      initialized = bytes.count
    }
  }
}
