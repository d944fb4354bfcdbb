import HybrixCore

/// The architectures `--arch` accepts by name (`hybrix archs` lists them). A new preset is one
/// entry here, usually built from tier presets in the tier files.
public enum PresetRegistry {
  public static let all: [Preset] = [
    Preset(
      name: "h3pimap", summary: "H3PIMAP Table 1: ReRAM-PIM 100×64 + SRAM-PIM 100×256 crossbars at 100 MHz + TeMPO photonic 2×2 cores of 14×14 at 3 GHz + digital host",
      sources: ["Yin et al., arXiv 2503.07778v2 Table 1", "Shafiee et al., ISCA 2016", "SimPhony (ScopeX-ASU)", "NeuroSim V1.3"],
      make: HeterogeneousPresets.h3pimap),
    Preset(
      name: "h3pimap-isaac", summary: "H3PIMAP-like stack from before Table 1 was read: ISAAC-scale ReRAM-PIM (16 128 crossbars, 1.28 GHz ADCs) + 1024 SRAM-PIM crossbars + LT photonic core (8-bit) + digital host",
      sources: ["Yin et al., arXiv 2503.07778", "Shafiee et al., ISCA 2016", "SimPhony (ScopeX-ASU)", "NeuroSim V1.3"],
      make: HeterogeneousPresets.h3pimapIsaac),
    Preset(
      name: "lionheart", summary: "LionHeart/ALPINE: Arm host (int8 NEON) + 64 PCM tiles of 256×256, 130 ns MVM",
      sources: ["Lammie et al., IEEE TETC 2025", "Klein et al., IEEE TC 2022 (ALPINE)", "Le Gallo et al., Nat. Electron. 2023"],
      make: HeterogeneousPresets.lionheart),
    Preset(
      name: "mirage", summary: "Mirage (ISCA 2024): 8 RNS-MMVMUs of 3 moduli (31, 32, 33) × 16×32 at 10 GHz, BFP 4-bit mantissas in groups of 16, 40 nm digital side, 24 MB SRAM",
      sources: ["Demirkiran et al., ISCA 2024 (arXiv 2311.17323v2)", "Horowitz, ISSCC 2014"],
      make: HeterogeneousPresets.mirage),
    Preset(
      name: "cmswitch", summary: "CMSwitch/Dynaplasia: 96 dual-mode 320×320 eDRAM CIM arrays + 32×32 digital unit",
      sources: ["Zhao et al., ASPLOS 2025", "Kim et al., ISSCC 2023 / JSSC 2024"],
      make: HeterogeneousPresets.cmswitch),
    Preset(
      name: "systolic-baseline", summary: "one 128×128 int8 systolic array with 2 MB SRAM and HBM (digital baseline)",
      sources: ["Horowitz, ISSCC 2014", "Jouppi et al., ISCA 2017"],
      make: { () throws(ConfigErrors) in
        Architecture(
          name: "systolic-baseline", description: "digital baseline",
          tiers: [try SystolicArrayTier(spec: SystolicArrayTier.example)], memory: MemoryPresets.hbm)
      }),
  ]

  public static var names: [String] { all.map(\.name) }

  /// The preset called `name`, or the architecture file at that path.
  public static func architecture(named name: String) throws(ConfigErrors) -> Architecture {
    if let p = all.first(where: { $0.name == name.lowercased() }) { return try p.architecture() }
    if name.hasSuffix(".yaml") || name.hasSuffix(".yml") || name.contains("/") {
      return try ArchitectureLoader.load(path: name)
    }
    throw ConfigErrors([
      ConfigError(
        path: "--arch", message: "no preset named \"\(name)\"",
        expected: "a preset (\(names.joined(separator: ", "))) or a path to a .yaml file",
        hint: NearestName.suggestion(for: name, among: names).map { "did you mean \($0)? `hybrix archs` lists them" }
          ?? "`hybrix archs` lists the presets"),
    ])
  }
}

extension PresetRegistry {
  /// The preset `hybrix map` uses without `--arch`.
  public static let defaultName = "h3pimap"
}
