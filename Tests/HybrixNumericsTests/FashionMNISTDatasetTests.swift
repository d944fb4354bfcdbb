import Foundation
import HybrixCore
import Testing

@testable import HybrixNumerics

/// Facts about Debian's `dataset-fashion-mnist` computed with Python's gzip module: pixel-byte
/// sums of individual images and their labels (`sum(img[16 + 784*i : 16 + 784*(i+1)])`).
@Suite struct FashionMNISTDatasetTests {
  static let directory = FashionMNIST.defaultDirectory
  static let isInstalled = FileManager.default.fileExists(atPath: directory)
  /// Runs when the data is installed, and also on CI (env `CI` set), where missing data must fail
  /// with the apt-get hint instead of being skipped silently.
  static let realDataTestsEnabled = isInstalled || ProcessInfo.processInfo.environment["CI"] != nil

  /// Both splits, loaded once for all tests of the suite.
  static let train = Result { () throws(ConfigError) in try FashionMNIST.load(split: .train) }
  static let test = Result { () throws(ConfigError) in try FashionMNIST.load(split: .test) }

  static func byteSum(_ d: Dataset, _ i: Int) -> Int {
    d.images.scalars[(i * 784)..<((i + 1) * 784)].reduce(0) { $0 + Int(($1 * 255).rounded()) }
  }

  // Skipped when Debian's files are absent (developer machines without the package); see above.
  @Test(.enabled(if: realDataTestsEnabled, "needs: \(FashionMNIST.installHint)"))
  func trainSplitMatchesPython() throws {
    let d = try Self.train.get()
    #expect(d.images.shape == [60000, 1, 28, 28] && d.count == 60000)
    #expect(d.classNames.count == 10 && d.classNames[9] == "Ankle boot")
    var histogram = [Int](repeating: 0, count: 10)
    for label in d.labels { histogram[label] += 1 }
    #expect(histogram == [Int](repeating: 6000, count: 10))
    #expect(d.images.scalars.min() == 0 && d.images.scalars.max() == 1)
    #expect((Self.byteSum(d, 0), d.labels[0]) == (76247, 9))
    #expect((Self.byteSum(d, 1), d.labels[1]) == (84598, 0))
    #expect((Self.byteSum(d, 59999), d.labels[59999]) == (16684, 5))
  }

  @Test(.enabled(if: realDataTestsEnabled, "needs: \(FashionMNIST.installHint)"))
  func testSplitMatchesPython() throws {
    let d = try Self.test.get()
    #expect(d.images.shape == [10000, 1, 28, 28])
    var histogram = [Int](repeating: 0, count: 10)
    for label in d.labels { histogram[label] += 1 }
    #expect(histogram == [Int](repeating: 1000, count: 10))
    #expect(d.images.scalars.min() == 0 && d.images.scalars.max() == 1)
    #expect((Self.byteSum(d, 0), d.labels[0]) == (33456, 9))
    #expect((Self.byteSum(d, 1), d.labels[1]) == (100994, 2))
    #expect((Self.byteSum(d, 9999), d.labels[9999]) == (24390, 5))
  }

  @Test(.enabled(if: realDataTestsEnabled, "needs: \(FashionMNIST.installHint)"))
  func limitKeepsTheFirstSamples() throws {
    let small = try FashionMNIST.load(split: .test, limit: 5)
    let full = try Self.test.get()
    #expect(small.images.shape == [5, 1, 28, 28])
    #expect(small.labels == Array(full.labels.prefix(5)))
    #expect(small.images.scalars == Array(full.images.scalars.prefix(5 * 784)))
  }

  // MARK: - A synthetic directory (runs everywhere)

  /// A gzip member holding `bytes` in stored blocks, with a correct CRC-32 and ISIZE.
  static func storedGzip(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3]
    var start = 0
    repeat {
      let n = min(65535, bytes.count - start)
      out += [start + n == bytes.count ? 1 : 0, UInt8(n & 0xFF), UInt8(n >> 8)]
      out += [UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)] + bytes[start..<(start + n)]
      start += n
    } while start < bytes.count
    let crc = CRC32.checksum(bytes[...])
    let size = UInt32(bytes.count)
    return out + [0, 8, 16, 24].map { UInt8(truncatingIfNeeded: crc >> $0) }
      + [0, 8, 16, 24].map { UInt8(truncatingIfNeeded: size >> $0) }
  }

  /// A temporary directory with `count` images (pixel `k` of image `i` is `(i + k) % 256`).
  static func syntheticDirectory(
    count: Int, labels: [UInt8]? = nil, imageFile: (([UInt8]) -> [UInt8])? = nil
  ) throws -> String {
    let dir = FileManager.default.temporaryDirectory
      .appendingPathComponent("hybrix-fmnist-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let pixels = (0..<(count * 784)).map { UInt8(($0 / 784 + $0 % 784) % 256) }
    let images = storedGzip(IDX.encode(shape: [count, 28, 28], elements: pixels))
    let labelBytes = labels ?? (0..<count).map { UInt8($0 % 10) }
    let labelFile = storedGzip(IDX.encode(shape: [labelBytes.count], elements: labelBytes))
    try Data(imageFile?(images) ?? images).write(
      to: dir.appendingPathComponent("t10k-images-idx3-ubyte.gz"))
    try Data(labelFile).write(to: dir.appendingPathComponent("t10k-labels-idx1-ubyte.gz"))
    return dir.path
  }

  @Test func loadsASyntheticDirectory() throws {
    let dir = try Self.syntheticDirectory(count: 120)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let d = try FashionMNIST.load(split: .test, directory: dir)
    #expect(d.images.shape == [120, 1, 28, 28])
    #expect(d.labels[13] == 3)
    #expect(d.images[2, 0, 0, 3] == Float(5) / 255)
    #expect(d.images[119, 0, 27, 27] == Float((119 + 783) % 256) / 255)
    #expect(try FashionMNIST.load(split: .test, directory: dir, limit: 7).count == 7)
  }

  @Test func missingDataGivesTheInstallHint() throws {
    let missing = "/nonexistent/fashion-mnist-\(UUID().uuidString)"
    #expect { try FashionMNIST.load(split: .train, directory: missing) } throws: { error in
      let e = error as? ConfigError
      return e?.file == missing && e?.hint == "sudo apt-get install dataset-fashion-mnist"
    }
    let dir = try Self.syntheticDirectory(count: 2)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    #expect { try FashionMNIST.load(split: .train, directory: dir) } throws: { error in
      let e = error as? ConfigError
      return e?.file == dir + "/train-images-idx3-ubyte.gz" && e?.message == "file not found"
        && e?.hint == FashionMNIST.installHint
    }
  }

  @Test func truncatedAndInconsistentFilesNameTheFile() throws {
    let truncated = try Self.syntheticDirectory(count: 3) { Array($0.prefix(1000)) }
    defer { try? FileManager.default.removeItem(atPath: truncated) }
    #expect { try FashionMNIST.load(split: .test, directory: truncated) } throws: { error in
      let e = error as? ConfigError
      return e?.file == truncated + "/t10k-images-idx3-ubyte.gz"
        && e?.message.contains("ends early") == true && e?.message.contains("(1000 bytes)") == true
    }
    let badLabel = try Self.syntheticDirectory(count: 3, labels: [1, 12, 3])
    defer { try? FileManager.default.removeItem(atPath: badLabel) }
    #expect { try FashionMNIST.load(split: .test, directory: badLabel) } throws: { error in
      (error as? ConfigError)?.path == "labels[1]"
    }
    let fewLabels = try Self.syntheticDirectory(count: 3, labels: [1, 2])
    defer { try? FileManager.default.removeItem(atPath: fewLabels) }
    #expect { try FashionMNIST.load(split: .test, directory: fewLabels) } throws: { error in
      "\(error)".contains("labels have shape [2]")
    }
  }

  // MARK: - Shuffling and batches

  static func tinyDataset(_ n: Int) -> Dataset {
    Dataset(
      images: Tensor(shape: [n, 1, 1, 2], scalars: (0..<(2 * n)).map { Float($0) }),
      labels: (0..<n).map { $0 % 3 }, classNames: ["a", "b", "c"])
  }

  @Test func shuffledIndicesArePermutationsFixedBySeed() {
    let d = Self.tinyDataset(1000)
    let a = d.shuffledIndices(seed: 42)
    #expect(a.sorted() == Array(0..<1000))
    #expect(a == d.shuffledIndices(seed: 42))
    #expect(a != d.shuffledIndices(seed: 43))
    // Roughly uniform: the mean position of small indices is near the middle.
    let meanPosition = Double(a.enumerated().filter { $0.element < 100 }.map(\.offset).reduce(0, +)) / 100
    #expect(abs(meanPosition - 499.5) < 100)
  }

  @Test func batchesCoverEverySampleOnce() {
    let d = Self.tinyDataset(10)
    var rng = SplitMix64(seed: 7)
    let batches = Array(d.batches(size: 4, rng: &rng))
    #expect(batches.map(\.labels.count) == [4, 4, 2])
    #expect(batches.flatMap(\.indices).sorted() == Array(0..<10))
    for batch in batches {
      #expect(batch.images.shape == [batch.indices.count, 1, 1, 2])
      for (row, i) in batch.indices.enumerated() {
        #expect(batch.images[row, 0, 0, 1] == Float(2 * i + 1) && batch.labels[row] == i % 3)
      }
    }
    var same = SplitMix64(seed: 7)
    #expect(Array(d.batches(size: 4, rng: &same)).map(\.indices) == batches.map(\.indices))
    #expect(Array(d.batches(size: 4, rng: &rng, dropLast: true)).map(\.indices.count) == [4, 4])
  }
}
