import Hardware

/// Which divisions of an operator's work can be priced: the one rule the ``CostModel`` applies
/// before it estimates a placement and a saved mapping (``MappingFile``) is checked against.
///
/// It restates what the cost code does with each axis (``OperatorWork/size(along:)``,
/// ``Lowering/work(_:axis:extent:whole:precision:weightsResident:)``, ``CostModel/reduce``):
/// - **One share**: any axis. The whole operator runs on one tier and the axis is not read.
/// - **Several shares along `m` or `n`**: any operator. A matrix product divides its rows or its
///   output columns; other work (pointwise, normalization, pooling, movement) divides its output
///   elements, which both axes name alike.
/// - **Several shares along `k`**: matrix products only, and only on an architecture with a
///   digital tier. Every share writes partial sums of the whole output, which the first digital
///   tier adds. Other work has no reduction to divide: its shares write whole outputs, so the
///   host would be charged for adding partial sums that no share produces.
///
/// Whether each tier can run its share (an operator a tier does not support, weights that do not
/// fit) is not part of this rule: that is an ``Infeasibility`` of the tier, a value the mapping's
/// result reports.
public enum SplitRule {
  /// Why a placement divides an operator in a way that cannot be priced.
  public struct Refusal: Hashable, Sendable {
    /// What is wrong, without the operator's name: "a k split needs a digital tier to add its
    /// partial sums".
    public var statement: String
    /// What would be accepted instead.
    public var expected: String
    /// What a user can change.
    public var levers: [String]
  }

  /// Why `placement` cannot divide an operator, or `nil` when it can.
  ///
  /// - Parameters:
  ///   - isMatrixProduct: Whether the operator has a GEMM view (``OperatorWork/matmul``).
  ///   - hasDigitalTier: Whether the architecture has a digital tier to add partial sums.
  public static func refusal(_ placement: Placement, isMatrixProduct: Bool, hasDigitalTier: Bool)
    -> Refusal?
  {
    guard placement.shares.count > 1, placement.axis == .k else { return nil }
    if !isMatrixProduct { return kSplitWithoutReduction }
    if !hasDigitalTier { return kSplitWithoutDigitalTier }
    return nil
  }

  /// A `k` split of work that is not a matrix product.
  public static let kSplitWithoutReduction = Refusal(
    statement: "a k split needs a matrix product (this operator has no reduction to divide)",
    expected: "axis m or n when an operator that is not a matrix product has several shares",
    levers: ["split along m or n", "place it on one tier"])

  /// A `k` split on an architecture with no tier to add the partial sums.
  public static let kSplitWithoutDigitalTier = Refusal(
    statement: "a k split needs a digital tier to add its partial sums",
    expected: "axis m or n on an architecture without a digital tier",
    levers: ["split along m or n", "add a digital tier"])

  /// Whether `architecture` has a tier that adds partial sums (the cost model's host tier).
  public static func hasDigitalTier(_ architecture: Architecture) -> Bool {
    architecture.tiers.contains { type(of: $0).kind == .digital }
  }
}

extension CostModel {
  /// ``SplitRule``'s refusal of `placement` for operator `op`, as an ``Infeasibility``.
  func splitRefusal(_ op: Int, _ placement: Placement) -> Infeasibility? {
    guard
      let why = SplitRule.refusal(
        placement, isMatrixProduct: works[op].matmul != nil, hasDigitalTier: hostTier != nil)
    else { return nil }
    return infeasibility(op, why)
  }

  func infeasibility(_ op: Int, _ why: SplitRule.Refusal) -> Infeasibility {
    Infeasibility(
      tier: "mapping", statement: "\(graph.operators[op].name): \(why.statement)",
      levers: why.levers)
  }
}
