import Execution
import Foundation
import Reports

extension TrainCommand {
  /// The report as a header line, a table with one row per epoch, and the final accuracy.
  static func render(_ r: TrainingReport) -> String {
    let c = r.configuration
    var setup = "\(c.optimizer.rawValue) lr \(r.learningRate)"
    if c.optimizer == .sgd { setup += " momentum \(c.momentum)" }
    if c.weightDecay > 0 { setup += " weight decay \(c.weightDecay)" }
    setup += ", \(c.schedule.rawValue) schedule, batch \(c.batchSize)"
    var lines = [
      "\(r.model) on \(r.dataset): \(r.trainSamples) training and \(r.testSamples) test images, "
        + "\(NumberFormat.count(r.parameters)) parameters",
      "\(setup), arithmetic \(c.arithmetic), seed \(c.seed), GEMM \(r.gemmBackend)",
      "",
    ]
    var table = TextTable([
      .init("epoch", .right), .init("train loss", .right), .init("train acc", .right),
      .init("test acc", .right), .init("time", .right),
    ])
    for e in r.epochs {
      table.add([
        "\(e.epoch)", String(format: "%.4f", e.trainLoss), percent(e.trainAccuracy),
        e.testAccuracy.map(percent) ?? "-", String(format: "%.1f s", e.seconds),
      ])
    }
    lines.append(table.render())
    lines.append("")
    var summary = String(format: "total %.1f s", r.seconds)
    if let acc = r.finalTestAccuracy { summary = "test accuracy \(percent(acc)), " + summary }
    lines.append(summary)
    if let path = r.checkpoint { lines.append("model written to \(path)") }
    return lines.joined(separator: "\n")
  }

  static func percent(_ x: Double) -> String { String(format: "%.2f %%", 100 * x) }

  /// Provenance stored in the checkpoint's `doc_string`.
  static func docString(_ r: TrainingReport) -> String { r.provenance(tool: "hybrix \(HybrixVersionString.value)") }
}

extension ProgressLine {
  /// Shows a training update: epoch, batch, running loss and accuracy, speed.
  func show(_ p: TrainingProgress) {
    let text =
      p.phase == .training
      ? String(
        format: "epoch %d/%d  batch %d/%d  loss %.4f  acc %.2f %%  %.0f img/s", p.epoch, p.epochs,
        p.batch, p.batches, p.loss, 100 * p.accuracy, p.samplesPerSecond)
      : String(
        format: "epoch %d/%d  loss %.4f  acc %.2f %%  evaluating %d/%d", p.epoch, p.epochs, p.loss,
        100 * p.accuracy, p.batch, p.batches)
    update(text)
  }
}
