import Reports
import Testing

@Suite struct TextTableTests {
  @Test func alignsColumns() {
    var t = TextTable([.init("name"), .init("MACs", .right)])
    t.add(["conv1", "118 M"])
    t.add(["fc", "2.05 M"])
    t.addSeparator()
    t.add(["total", "120 M"])
    #expect(
      t.render() == """
        name     MACs
        ─────  ──────
        conv1   118 M
        fc     2.05 M
        ─────  ──────
        total   120 M
        """)
  }

  @Test func countsUseSIPrefixes() {
    #expect(NumberFormat.count(4_089_184_256) == "4.09 G")
    #expect(NumberFormat.count(25_557_032) == "25.6 M")
    #expect(NumberFormat.count(512) == "512")
    #expect(NumberFormat.bytes(6_738_415_616) == "6.74 GB")
    #expect(NumberFormat.shape([1, 3, 224, 224]) == "1×3×224×224")
  }
}
