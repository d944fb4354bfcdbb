// Execution: runs a workload `Graph` with its weights (trained by Hybrix or read from ONNX) on
// the `Numerics` tensor engine, each layer's matrix products through a `ProductArithmetic`
// (exact, or a `Devices` model), and trains such networks. See DESIGN.md, module map.
