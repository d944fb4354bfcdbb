import HybrixCore
import PropertyBased
import Testing

@Suite struct UnitsTests {
  @Test(arguments: [
    ("0.45 pJ", 0.45e-12), ("12 fJ", 12e-15), ("3nJ", 3e-9), ("1.5 uJ", 1.5e-6), ("2 J", 2.0),
  ])
  func parsesEnergy(text: String, joules: Double) throws {
    let e = try Energy.parse(text)
    #expect(e.joules.isApproximatelyEqual(to: joules))
  }

  @Test func parsesTheIssueExamples() throws {
    #expect(try Conductance.parse("25 uS").microsiemens.isApproximatelyEqual(to: 25))
    #expect(try Bandwidth.parse("64 GB/s").bytesPerSecond == 64e9)
    #expect(try Time.parse("130 ns").seconds.isApproximatelyEqual(to: 130e-9))
    #expect(try Power.parse("5 mW").watts.isApproximatelyEqual(to: 5e-3))
    #expect(try Area.parse("0.12 mm^2").squareMillimetres.isApproximatelyEqual(to: 0.12))
    #expect(try DataSize.parse("10 KB").bytes == 10 * 1024)
    #expect(try DataSize.parse("10 kB").bytes == 10_000)
    #expect(try Frequency.parse("1 GHz").hertz == 1e9)
    #expect(try Bandwidth.parse("32 Gb/s").bytesPerSecond == 4e9)
    #expect(try EnergyPerData.parse("1 pJ/bit").baseValue.isApproximatelyEqual(to: 8e-12))
    #expect(try Time.parse("1e-9 s").seconds == 1e-9)
  }

  @Test func wrongDimensionNamesBoth() {
    do {
      _ = try Energy.parse("5 ns", file: "arch.yaml", path: "tiers[0].mac_energy")
      Issue.record("a time unit was accepted as energy")
    } catch {
      #expect(error.file == "arch.yaml")
      #expect(error.path == "tiers[0].mac_energy")
      #expect(error.hint?.contains("unit of time, not of energy") == true)
      #expect(error.description.hasPrefix("arch.yaml: tiers[0].mac_energy: unknown energy unit \"ns\""))
    }
  }

  @Test(arguments: ["5", "", "pJ", "abc pJ", "1.2.3 pJ", "nan pJ", "inf pJ", "5 parsecs"])
  func rejectsMalformed(text: String) {
    #expect(throws: ConfigError.self) { try Energy.parse(text) }
  }

  @Test func missingUnitSaysSo() {
    #expect(throws: ConfigError.self) { try Time.parse("130") }
    do { _ = try Time.parse("130") } catch { #expect(error.message.contains("has no unit")) }
  }

  @Test func formatsWithPrefix() {
    #expect(Energy.picojoules(0.45).description == "450.0 fJ")
    #expect(Time.nanoseconds(130).description == "130.0 ns")
    #expect(Energy.zero.description == "0 J")
    #expect(Time.zero.description == "0 s")
    #expect(Area.zero.description == "0 m²")
    #expect(DataSize.bytes(6.74e9).formatted(significantDigits: 3) == "6.74 GB")
  }

  @Test func arithmetic() {
    let e = Power.watts(2) * Time.seconds(3)
    #expect(e == Energy.joules(6))
    #expect(Energy.joules(6) / Energy.joules(2) == 3)
    #expect(Bandwidth.bytesPerSecond(1e9).time(toMove: .bytes(5e8)) == Time.seconds(0.5))
  }

  /// Printing a quantity exactly and parsing it back returns the same value, for any magnitude.
  @Test func exactRoundTrip() async {
    await propertyCheck(input: Gen.double(in: -1e6...1e6), Gen.int(in: -18...3)) { mantissa, exp in
      let v = mantissa * pow10(exp)
      let e = Energy.joules(v)
      #expect((try? Energy.parse(e.exactDescription)) == e)
      let t = Time.seconds(abs(v))
      #expect((try? Time.parse(t.exactDescription)) == t)
    }
  }
}

func pow10(_ e: Int) -> Double {
  var r = 1.0
  for _ in 0..<abs(e) { r *= 10 }
  return e < 0 ? 1 / r : r
}

extension Double {
  func isApproximatelyEqual(to other: Double, relativeTolerance: Double = 1e-12) -> Bool {
    abs(self - other) <= relativeTolerance * max(abs(self), abs(other))
  }
}
