import Foundation
import HybrixCLI
import Reports
import Testing

/// `hybrix compare`: the JSON is the library's comparison, bad input is one clear message.
@Suite struct CompareCommandTests {
  @Test func jsonIsTheLibrarysComparison() async throws {
    let r = await runHybrix(["compare", "alexnet", "--against", "fmac", "--iso", "energy", "--batch", "2", "--json"])
    #expect(r.exitCode == 0, "\(r.standardError)")
    let c = try JSONDecoder().decode(MirageComparison.self, from: Data(r.standardOutput.utf8))
    #expect(c.schema == "hybrix.mirage-compare.v1" && c.batch == 2 && c.phase == "train")
    #expect(c.conventions.map(\.name) == ["paper", "whole-system"])
    #expect(c.paper?.baseline == "fmac")
  }

  @Test(arguments: [
    (["compare", "alexnet", "--against", "int9"], "did you mean int8"),
    (["compare", "alexnet", "--against", "int8", "--iso", "power"], "energy or area"),
    (["compare", "alexnet", "--against", "fmac", "--iso", "area"], "no area per MAC"),
    (["compare", "alexnet", "--against", "int8", "--arch", "systolic-baseline"], "no RNS photonic tier"),
    (["compare", "alexnet"], "--against"),
  ])
  func badInputIsOneClearError(arguments: [String], message: String) async {
    await expectClearFailure(arguments + ["--batch", "2"], fragment: message)
  }
}
