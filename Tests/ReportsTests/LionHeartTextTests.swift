import Foundation
@testable import Reports
import Testing

/// The text report's analog set is wrapped after commas, so a 20-layer set stays readable in a
/// terminal and inside the HTML page's `<pre>` block.
@Suite struct LionHeartTextTests {
  static let first = "  analog set (21 of 22 conv/linear layers): "

  @Test(arguments: [0, 1, 2, 5, 21, 60])
  func wrappedLinesStayWithinTheWidthAndGiveTheListBack(count: Int) {
    let items = count == 0 ? ["none"] : (0..<count).map { "layer\($0 % 3 + 1).\($0 % 2).conv\($0 % 2 + 1)" }
    let lines = LionHeartText.wrapped(items, first: Self.first, indent: "    ", width: 100)
    #expect(lines.allSatisfy { $0.count <= 100 }, "\(lines)")
    #expect(lines.first?.hasPrefix(Self.first) == true)
    #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("    ") && !$0.hasPrefix("     ") })
    // Every line but the last ends with a comma; joined back, the list is the original.
    #expect(lines.dropLast().allSatisfy { $0.hasSuffix(",") })
    let joined = lines.joined(separator: "\n").replacingOccurrences(of: ",\n    ", with: ", ")
    #expect(joined == Self.first + items.joined(separator: ", "))
    // Short lists stay on one line; 21 names of about 16 characters take several.
    #expect((lines.count == 1) == (Self.first.count + items.joined(separator: ", ").count <= 100))
  }

  @Test func anItemLongerThanTheWidthKeepsItsOwnLine() {
    let long = String(repeating: "x", count: 120)
    let lines = LionHeartText.wrapped(["a", long, "b"], first: "set: ", indent: "  ", width: 40)
    #expect(lines == ["set: a,", "  " + long + ",", "  b"])
  }
}
