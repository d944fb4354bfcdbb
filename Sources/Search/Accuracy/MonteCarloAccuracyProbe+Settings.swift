import Foundation
import HybrixCore

extension MonteCarloAccuracyProbe {
  /// How a probe measures: repeats, seed, batching, drift compensation and the images it uses.
  ///
  /// `seed`, `batchSize`, the image counts and `compensated` decide the numbers (a repeat's noise
  /// follows its batching); `parallelism` only decides how fast they come: any value gives the
  /// same drops bit for bit.
  public struct Settings: Sendable, Hashable {
    /// Monte-Carlo repeats of ``MonteCarloAccuracyProbe/drop(of:at:)`` (each a fresh draw of
    /// programming, drift and read noise); also the most that sequential stopping runs.
    public var repeats: Int
    /// Seed of every random draw; repeat r of operator i is seeded from (seed, r, i) exactly as
    /// `hybrix accuracy --seed` seeds it.
    public var seed: UInt64
    /// Images per inference batch (noise is drawn batch by batch).
    public var batchSize: Int
    /// Global drift compensation on analog tiers (aihwkit's, as LionHeart evaluates).
    public var compensated: Bool
    /// Use only the first `imageLimit` test images (`nil`: all of them).
    public var imageLimit: Int?
    /// Images of a ``MonteCarloAccuracyProbe/sensitivity(operator:tier:at:)``: the first
    /// `sensitivityImages` of the probe's images (fewer when the probe has fewer).
    public var sensitivityImages: Int
    /// Repeats of a sensitivity.
    public var sensitivityRepeats: Int
    /// Repeats run at once, each on its own copy of the network (default: the active cores).
    public var parallelism: Int
    /// Memory for the exact activations entering the first noisy operator, kept between calls
    /// so repeats run only the layers from there on (bytes; 0: always run the whole network).
    /// Small CNN, 10 000 images: 251 MB in front of conv2, 125 MB in front of fc1.
    public var activationCacheBytes: Int

    public init(
      repeats: Int = 10, seed: UInt64 = 1, batchSize: Int = 100, compensated: Bool = true,
      imageLimit: Int? = nil, sensitivityImages: Int = 2000, sensitivityRepeats: Int = 3,
      parallelism: Int = ProcessInfo.processInfo.activeProcessorCount,
      activationCacheBytes: Int = 512 << 20
    ) {
      self.repeats = repeats
      self.seed = seed
      self.batchSize = batchSize
      self.compensated = compensated
      self.imageLimit = imageLimit
      self.sensitivityImages = sensitivityImages
      self.sensitivityRepeats = sensitivityRepeats
      self.parallelism = parallelism
      self.activationCacheBytes = activationCacheBytes
    }

    /// The first setting out of range, as an error naming it.
    public func validate() throws(ConfigError) {
      let counts: [(String, Int, String)] = [
        ("repeats", repeats, "at least 1 Monte-Carlo repeat"),
        ("batch_size", batchSize, "at least 1 image per batch"),
        ("image_limit", imageLimit ?? 1, "at least 1 image"),
        ("sensitivity_images", sensitivityImages, "at least 1 image"),
        ("sensitivity_repeats", sensitivityRepeats, "at least 1 repeat"),
        ("parallelism", parallelism, "at least 1 repeat at a time"),
      ]
      for (key, value, expected) in counts where value < 1 {
        throw ConfigError(
          path: "accuracy_probe.\(key)", message: "\(value)", expected: expected,
          hint: "the defaults are 10 repeats of all images, sensitivities on 2000 images × 3 repeats")
      }
      guard activationCacheBytes >= 0 else {
        throw ConfigError(
          path: "accuracy_probe.activation_cache_bytes", message: "\(activationCacheBytes)",
          expected: "a number of bytes ≥ 0 (0 keeps no activations)")
      }
    }
  }
}
