import HybrixCore

/// The architectures `--arch` accepts by name (`hybrix archs` lists them). A new preset is one
/// entry here, usually built from tier presets in the tier files.
public enum PresetRegistry {
  public static let all: [Preset] = [
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
  public static let defaultName = "systolic-baseline"
}
