public enum HybrixCLIPlaceholder {}
