import Hardware
import HybrixCore

/// The arrays of a dual-mode CIM tier one operator gets in a segment (CMSwitch, Zhao et al.,
/// ASPLOS 2025, §4.3): compute arrays holding its weights, and memory-mode arrays buffering its
/// input and its output. Operators of one segment run side by side as a pipeline, each on its
/// own arrays, sharing the tier's buffer port evenly; segments run one after another, and
/// between two the arrays that change mode switch, live outputs held in arrays that switch
/// back to compute are written back to main memory, and the next segment writes its weights.
///
/// A plan whose placements carry allocations is a *segmented* plan: ``ScheduleSimulator`` runs
/// it segment by segment (``SegmentLayout``), and ``CostModel`` prices each operator on its
/// arrays and each segment's boundary (``OperatorEstimate/boundary``).
public struct ArrayAllocation: Codable, Sendable, Hashable {
  /// Arrays in compute mode (≥ 1).
  public var compute: Int
  /// Memory-mode arrays holding the operator's first operand.
  public var inputBuffers: Int
  /// Memory-mode arrays holding its output.
  public var outputBuffers: Int
  /// Of the input buffers, those that are the output buffers of the operator producing the
  /// first operand in the same segment (counted once on the chip; CMSwitch Eq. 6).
  public var sharedInputBuffers: Int
  /// The segment's index; segments are contiguous in graph order.
  public var segment: Int
  /// Operators with arrays in the segment: they share the tier's buffer port evenly.
  public var segmentOperators: Int
  /// Memory-mode arrays of the whole segment, shared buffers counted once.
  public var segmentMemoryArrays: Int

  public init(
    compute: Int, inputBuffers: Int = 0, outputBuffers: Int = 0, sharedInputBuffers: Int = 0, segment: Int,
    segmentOperators: Int, segmentMemoryArrays: Int
  ) {
    self.compute = compute
    self.inputBuffers = inputBuffers
    self.outputBuffers = outputBuffers
    self.sharedInputBuffers = sharedInputBuffers
    self.segment = segment
    self.segmentOperators = segmentOperators
    self.segmentMemoryArrays = segmentMemoryArrays
  }

  /// Arrays this operator adds to the chip's count (shared input buffers are its producer's).
  public var ownArrays: Int { compute + inputBuffers + outputBuffers - sharedInputBuffers }
  /// Memory-mode arrays this operator adds to the chip's count.
  public var ownMemoryArrays: Int { inputBuffers + outputBuffers - sharedInputBuffers }

  /// What the tier sees.
  public var modes: ArrayModes {
    ArrayModes(
      computeArrays: Double(compute), inputBuffers: Double(inputBuffers), outputBuffers: Double(outputBuffers),
      portShare: 1 / Double(max(1, segmentOperators)))
  }
}
