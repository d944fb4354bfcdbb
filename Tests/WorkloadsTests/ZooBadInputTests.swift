import HybrixCore
import Testing

@testable import Workloads

@Suite struct ZooBadInputTests {
  @Test func unknownNameSuggestsNearest() {
    do {
      _ = try ModelZoo.model(named: "resnet5O")
      Issue.record("unknown name accepted")
    } catch {
      #expect(error.message == "no model named \"resnet5O\"")
      #expect(error.hint?.hasPrefix("did you mean resnet50?") == true)
    }
  }

  @Test func aliasesAndCaseWork() throws {
    #expect(try ModelZoo.model(named: "ResNet-50").name == "resnet50")
    #expect(try ModelZoo.model(named: "llama-2-7b").name == "llama2-7b")
  }

  @Test(arguments: [0, -1])
  func nonPositiveBatchIsRejected(batch: Int) {
    #expect(throws: ConfigError.self) {
      _ = try ModelZoo.model(named: "resnet50").graph(ZooOptions(batch: batch))
    }
  }

  /// A batch that makes MAC counts exceed 64 bits is an error naming the overflow, not a trap.
  @Test func overflowingBatch() {
    do {
      _ = try ModelZoo.model(named: "llama2-7b").graph(ZooOptions(batch: 1 << 40, sequenceLength: 4096, phase: .prefill))
      Issue.record("overflow not detected")
    } catch {
      #expect(error.description.contains("64-bit"))
    }
  }

  @Test func namesAreUnique() {
    let names = ModelZoo.all.flatMap { [$0.name] + $0.aliases }
    #expect(Set(names).count == names.count)
  }
}
