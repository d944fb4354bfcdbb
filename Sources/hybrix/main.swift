import Workloads
for m in ModelZoo.all {
  do {
    let g = try m.graph()
    let t = g.totals(at: .int8)
    print(m.name, g.operators.count, Double(t.parameters)/1e6, Double(t.macs)/1e9, t.arithmeticIntensity ?? 0)
  } catch { print(m.name, error) }
}
for phase in [Phase.decode, .prefill, .train] {
  let g = try! ModelZoo.model(named: "llama2-7b").graph(ZooOptions(sequenceLength: 2048, phase: phase))
  let t = g.totals(at: .int8)
  print(phase, Double(t.macs)/1e9, t.arithmeticIntensity ?? 0, Double(t.bytes.kvCache)/1e9, g.operators.count)
}
