// Shared helpers of the Execution tests live here.
