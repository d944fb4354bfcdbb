import Foundation
import HybrixCore
import Reports
import Testing

/// Ctrl-C in `hybrix explore`, on the real binary (here beside the sweep's stop tests, which hold
/// the child-process machinery): the first SIGINT cuts the search, the report of the best front
/// so far is printed and says it was cut; a second SIGINT ends the process at once.
@Suite(.serialized) struct ExploreInterruptTests {
  /// A search that would run for minutes: ResNet-50 for a million generations.
  static let arguments = ["explore", "resnet50", "--generations", "1000000"]

  /// Whether `pid` catches SIGINT, i.e. `StopRequest.installInterruptHandler` has run: its
  /// dispatch signal source installs a handler (Linux /proc; SigCgt is a hex mask, SIGINT = bit
  /// 1). Not SigIgn: a child of a shell in the background inherits SIGINT ignored.
  static func handlesInterrupt(_ pid: pid_t) -> Bool {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
      let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigCgt:") }),
      let mask = UInt64(line.dropFirst("SigCgt:".count).trimmingCharacters(in: .whitespaces), radix: 16)
    else { return false }
    return mask & (1 << (UInt64(SIGINT) - 1)) != 0
  }

  /// Starts the search and waits until it handles SIGINT and has searched for `searching`.
  static func startedSearch(_ extra: [String] = ["--json"], searching: Duration = .seconds(1)) throws -> ChildProcess {
    let binary = try #require(hybrixExecutable, "build the hybrix executable first (swift build --build-tests)")
    let child = try ChildProcess(binary, arguments + extra)
    let deadline = Date().addingTimeInterval(60)
    while !handlesInterrupt(child.pid), child.isRunning, Date() < deadline { usleep(5_000) }
    #expect(handlesInterrupt(child.pid), "the child never installed its SIGINT handler")
    Thread.sleep(forTimeInterval: Double(searching.components.seconds))
    return child
  }

  @Test(.timeLimit(.minutes(2))) func controlCReportsTheFrontSoFarAndSaysItWasCut() throws {
    let mapping = temporaryFolder() + "/picked.json"
    let child = try Self.startedSearch(["--json", "--save-mapping", mapping])
    #expect(child.isRunning, "the search ended before it was interrupted: \(child.errorOutput)")
    let sent = ContinuousClock.now
    child.send(SIGINT)
    let end = child.wait()
    let took = ContinuousClock.now - sent
    // The cut search simulates what it found for 0.5 s, then the baselines (debug build, a
    // loaded machine): a few seconds, not the minutes the search would have run.
    #expect(took < .seconds(10), "stopping took \(took)")
    #expect(end.exitCode == 0, "exit \(String(describing: end)): \(child.errorOutput)")
    let report = try JSONDecoder().decode(ExploreReport.self, from: Data(child.output.utf8))
    #expect(report.search.stoppedBy == "interrupt (Ctrl-C)")
    #expect(report.search.generationsRun < 1_000_000)
    #expect(!report.front.isEmpty && report.pick.index != nil, "the best front so far is reported")
    #expect(report.random.isEmpty && report.warnings.contains { $0.contains("random mappings") })
    #expect(!report.baselines.isEmpty)
    // --save-mapping writes the cut front's picked point, a mapping file `map --mapping` reads.
    let saved = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: mapping))) as? [String: Any]
    #expect(saved?["schema"] as? String == "hybrix.mapping", "\(String(describing: saved?.keys))")
  }

  @Test(.timeLimit(.minutes(2))) func controlCTwiceExitsAtOnce() throws {
    let child = try Self.startedSearch()
    child.send(SIGINT)
    usleep(20_000)
    let sent = ContinuousClock.now
    child.send(SIGINT)
    let end = child.wait()
    #expect(ContinuousClock.now - sent < .seconds(1))
    #expect(end.exitCode == 130, "exit \(String(describing: end)): \(child.errorOutput)")
    #expect(child.output.isEmpty, "no report after the second Ctrl-C")
  }

  @Test(.timeLimit(.minutes(2))) func theTextSaysTheSearchWasCut() throws {
    let child = try Self.startedSearch([])
    #expect(child.isRunning)
    child.send(SIGINT)
    let end = child.wait()
    #expect(end.exitCode == 0, "exit \(String(describing: end)): \(child.errorOutput)")
    #expect(child.output.contains("cut by the interrupt (Ctrl-C): the best front so far"), "\(child.output.prefix(2000))")
    #expect(child.output.contains("Front (") && child.output.contains("Ratios"), "\(child.output.prefix(2000))")
  }
}
