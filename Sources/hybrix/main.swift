import HybrixCLI

await HybrixCommand.runMain()
