import HybrixCore

extension Transformers {
  static let bertBaseConfig = TransformerConfig(
    layers: 12, modelDim: 768, heads: 12, ffDim: 3072, vocab: 30522, learnedPositions: 512,
    tokenTypes: 2, maxContext: 512)

  static let bertBase = ZooModel(
    name: "bert-base", aliases: ["bert", "bert-base-uncased"],
    summary: "BERT-base encoder, 12 layers, d=768, 12 heads (Devlin et al. 2019)",
    family: .encoder, defaultSize: 128,
    published: PublishedFigures(
      parameters: 110e6, macs: nil, source: "Devlin et al., NAACL 2019, Table 1 footnote: 110M"),
    build: { b, s, _ throws(ConfigError) in try encoder("bert-base", bertBaseConfig, batch: b, size: s) })

  static let bertLarge = ZooModel(
    name: "bert-large", aliases: ["bert-large-uncased"],
    summary: "BERT-large encoder, 24 layers, d=1024, 16 heads (Devlin et al. 2019)",
    family: .encoder, defaultSize: 128,
    published: PublishedFigures(
      parameters: 340e6, macs: nil, source: "Devlin et al., NAACL 2019: 340M (HF count 335M)"),
    build: { b, s, _ throws(ConfigError) in
      try encoder(
        "bert-large",
        TransformerConfig(
          layers: 24, modelDim: 1024, heads: 16, ffDim: 4096, vocab: 30522,
          learnedPositions: 512, tokenTypes: 2, maxContext: 512), batch: b, size: s)
    })

  static let gpt2 = ZooModel(
    name: "gpt2", aliases: ["gpt-2", "gpt2-small"],
    summary: "GPT-2 small decoder, 12 layers, d=768, tied LM head (Radford et al. 2019)",
    family: .decoder, defaultSize: 1024,
    published: PublishedFigures(
      parameters: 124e6, macs: nil, source: "Radford et al. 2019; HF gpt2 model card: 124M"),
    build: { b, s, phase throws(ConfigError) in
      try decoder(
        "gpt2",
        TransformerConfig(
          layers: 12, modelDim: 768, heads: 12, ffDim: 3072, vocab: 50257,
          learnedPositions: 1024, maxContext: 1024), batch: b, size: s, phase: phase)
    })

  static func opt(_ name: String, layers: Int, dim: Int, heads: Int) -> TransformerConfig {
    TransformerConfig(
      layers: layers, modelDim: dim, heads: heads, ffDim: 4 * dim, vocab: 50272,
      learnedPositions: 2048, positionOffset: 2, activation: "relu", maxContext: 2048)
  }

  static let opt6_7b = ZooModel(
    name: "opt-6.7b", aliases: ["opt6.7b", "opt-6_7b"],
    summary: "OPT-6.7B decoder, 32 layers, d=4096, 32 heads (Zhang et al. 2022)",
    family: .decoder, defaultSize: 2048,
    published: PublishedFigures(
      parameters: 6.7e9, macs: nil, source: "Zhang et al., arXiv 2205.01068, Table 1 (HF count 6.66B)"),
    build: { b, s, phase throws(ConfigError) in
      try decoder("opt-6.7b", opt("opt-6.7b", layers: 32, dim: 4096, heads: 32), batch: b, size: s, phase: phase)
    })

  static let opt13b = ZooModel(
    name: "opt-13b", aliases: ["opt13b"],
    summary: "OPT-13B decoder, 40 layers, d=5120, 40 heads (Zhang et al. 2022)",
    family: .decoder, defaultSize: 2048,
    published: PublishedFigures(
      parameters: 13e9, macs: nil, source: "Zhang et al., arXiv 2205.01068, Table 1 (HF count 12.85B)"),
    build: { b, s, phase throws(ConfigError) in
      try decoder("opt-13b", opt("opt-13b", layers: 40, dim: 5120, heads: 40), batch: b, size: s, phase: phase)
    })

  static let llama2_7b = ZooModel(
    name: "llama2-7b", aliases: ["llama-2-7b", "llama2"],
    summary: "Llama-2-7B decoder, 32 layers, d=4096, SwiGLU 11008, RMSNorm, RoPE (Touvron et al. 2023)",
    family: .decoder, defaultSize: 4096,
    published: PublishedFigures(
      parameters: 6.74e9, macs: nil, source: "Touvron et al., arXiv 2307.09288; HF count 6,738,415,616"),
    build: { b, s, phase throws(ConfigError) in
      try decoder(
        "llama2-7b",
        TransformerConfig(
          layers: 32, modelDim: 4096, heads: 32, ffDim: 11008, vocab: 32000, bias: false,
          rmsNorm: true, gatedMLP: true, activation: "silu", tiedHead: false, maxContext: 4096),
        batch: b, size: s, phase: phase)
    })

  static let llama3_8b = ZooModel(
    name: "llama3-8b", aliases: ["llama-3-8b", "llama3"],
    summary: "Llama-3-8B decoder, 32 layers, d=4096, 8 KV heads (GQA), vocab 128256 (Meta 2024)",
    family: .decoder, defaultSize: 8192,
    published: PublishedFigures(
      parameters: 8.03e9, macs: nil, source: "Meta Llama 3 model card; HF count 8,030,261,248"),
    build: { b, s, phase throws(ConfigError) in
      try decoder(
        "llama3-8b",
        TransformerConfig(
          layers: 32, modelDim: 4096, heads: 32, kvHeads: 8, ffDim: 14336, vocab: 128_256,
          bias: false, rmsNorm: true, gatedMLP: true, activation: "silu", tiedHead: false,
          maxContext: 8192),
        batch: b, size: s, phase: phase)
    })

  /// Pythia (Biderman et al., ICML 2023): GPT-NeoX layout — parallel residual, LayerNorm with
  /// bias, rotary positions (on a quarter of each head; counted as elementwise work), GELU MLP
  /// of 4·d, biases everywhere, separate input embedding and output head, vocab 50 304.
  static func pythia(layers: Int, dim: Int, heads: Int) -> TransformerConfig {
    TransformerConfig(
      layers: layers, modelDim: dim, heads: heads, ffDim: 4 * dim, vocab: 50_304, tiedHead: false, maxContext: 2048,
      parallelResidual: true)
  }

  static let pythia70m = ZooModel(
    name: "pythia-70m", aliases: ["pythia70m"],
    summary: "Pythia-70M decoder (GPT-NeoX layout), 6 layers, d=512, 8 heads (Biderman et al. 2023)",
    family: .decoder, defaultSize: 2048,
    published: PublishedFigures(
      parameters: 70_426_624, macs: nil,
      source: "Biderman et al., ICML 2023, Table 1 / EleutherAI pythia README: 70,426,624 total (18,915,328 non-embedding)"),
    build: { b, s, phase throws(ConfigError) in
      try decoder("pythia-70m", pythia(layers: 6, dim: 512, heads: 8), batch: b, size: s, phase: phase)
    })

  static let pythia2_8b = ZooModel(
    name: "pythia-2.8b", aliases: ["pythia2.8b", "pythia-2_8b"],
    summary: "Pythia-2.8B decoder (GPT-NeoX layout), 32 layers, d=2560, 32 heads (Biderman et al. 2023)",
    family: .decoder, defaultSize: 2048,
    published: PublishedFigures(
      parameters: 2_775_208_960, macs: nil,
      source: "Biderman et al., ICML 2023, Table 1 / EleutherAI pythia README: 2,775,208,960 total (2,517,652,480 non-embedding)"),
    build: { b, s, phase throws(ConfigError) in
      try decoder("pythia-2.8b", pythia(layers: 32, dim: 2560, heads: 32), batch: b, size: s, phase: phase)
    })
}
