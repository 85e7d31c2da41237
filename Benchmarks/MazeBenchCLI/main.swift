import MazeBenchmarks

// `maze-bench`: the benchmarks, a separate executable so that `maze` links no measuring code; `maze bench …` runs it.
Bench.main()
