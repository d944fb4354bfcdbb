import Execution
import Hardware
import HybrixCore
import HybrixNumerics
import Workloads

extension MonteCarloAccuracyProbe {
  /// The probe of a trained model on the Fashion-MNIST test images: `model` a zoo name with its
  /// `weights` checkpoint or an ONNX file, its operators those of `graph` mapped onto
  /// `architecture`. With `split`, the images are halved: LionHeart decides on the first half
  /// (validation) and reports the second (test), as ``SplitAccuracyProbe`` does. What `map`'s
  /// accuracy constraints and `hybrix reproduce lionheart` both build.
  ///
  /// - Throws: ``ConfigError`` for missing data (with the install hint), weights that do not
  ///   match the model, fewer than 2 images to split, or settings out of range.
  public static func fashionMNIST(
    model: String, weights: String?, graph: Graph, architecture: Architecture, dataDirectory: String,
    imageLimit: Int?, settings: Settings, split: Bool
  ) throws(ConfigError) -> any AccuracyProbe {
    if let imageLimit, imageLimit < (split ? 2 : 1) {
      throw ConfigError(
        path: "--accuracy-images", message: "\(imageLimit)",
        expected: split ? "at least 2 test images (validation and test halves)" : "at least 1 test image")
    }
    let data = try FashionMNIST.load(split: .test, directory: dataDirectory, limit: imageLimit)
    let (network, _, _) = try TrainedModelLoader(model: model, weights: weights).load {
      () throws(ConfigError) -> HybrixNumerics.Tensor in
      HybrixNumerics.Tensor(shape: [1, 1, 28, 28], scalars: Array(data.images.scalars.prefix(784)))
    }
    guard split else {
      return try MonteCarloAccuracyProbe(
        network: network, graph: graph, architecture: architecture, images: data.images, labels: data.labels,
        settings: settings)
    }
    let n = data.labels.count
    let half = (n + 1) / 2
    func part(_ r: Range<Int>) throws(ConfigError) -> MonteCarloAccuracyProbe {
      let sample = data.images.count / max(1, n)
      let images = HybrixNumerics.Tensor(
        shape: [r.count] + data.images.shape.dropFirst(),
        scalars: Array(data.images.scalars[(r.lowerBound * sample)..<(r.upperBound * sample)]))
      return try MonteCarloAccuracyProbe(
        network: network, graph: graph, architecture: architecture, images: images, labels: Array(data.labels[r]),
        settings: settings)
    }
    return SplitAccuracyProbe(
      validation: try part(0..<half), test: try part(half..<n),
      validationImages: "Fashion-MNIST test images 0..<\(half)", testImages: "Fashion-MNIST test images \(half)..<\(n)")
  }
}
