import HybrixCLI

HybrixCommand.main()
