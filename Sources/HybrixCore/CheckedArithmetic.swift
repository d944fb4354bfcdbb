/// Products and sums of user-sized counts that report overflow instead of trapping.
///
/// MAC and byte counts of large models at large batch sizes can exceed 2⁶³; such sizes must give
/// a ``ConfigError`` that says which quantity overflowed, never a crash.
public enum Checked {
  /// The product of `factors`, or a ``ConfigError`` naming `what` when it exceeds `Int.max`.
  public static func product(_ factors: [Int], _ what: @autoclosure () -> String) throws(ConfigError)
    -> Int
  {
    var result = 1
    for f in factors {
      let (p, overflow) = result.multipliedReportingOverflow(by: f)
      if overflow { throw overflowError(what()) }
      result = p
    }
    return result
  }

  /// `a + b`, or a ``ConfigError`` naming `what` on overflow.
  public static func sum(_ a: Int, _ b: Int, _ what: @autoclosure () -> String) throws(ConfigError)
    -> Int
  {
    let (s, overflow) = a.addingReportingOverflow(b)
    if overflow { throw overflowError(what()) }
    return s
  }

  /// The sum of `terms`, or a ``ConfigError`` naming `what` on overflow.
  public static func sum(_ terms: [Int], _ what: @autoclosure () -> String) throws(ConfigError) -> Int {
    var total = 0
    for t in terms { total = try sum(total, t, what()) }
    return total
  }

  static func overflowError(_ what: String) -> ConfigError {
    ConfigError(
      message: "\(what) exceeds the 64-bit range (\(Int.max))",
      expected: "sizes whose counts fit in 64 bits",
      hint: "reduce the batch size, sequence length or image size")
  }
}
