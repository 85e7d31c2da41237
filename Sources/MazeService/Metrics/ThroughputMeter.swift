import MazeSystem

/// Samples per second over a sliding window of the last few seconds.
struct ThroughputMeter {
    private var events: [(instant: ContinuousClock.Instant, samples: Int)] = []
    let window: Duration = .seconds(5)

    mutating func record(samples: Int, at instant: ContinuousClock.Instant) {
        events.append((instant, samples))
        events.removeAll { instant - $0.instant > window }
    }

    /// The samples recorded after the oldest event in the window, over the time since it.
    func rate(at now: ContinuousClock.Instant) -> Double {
        let recent = events.filter { now - $0.instant <= window }
        guard let first = recent.first, recent.count > 1 else { return 0 }
        let span = (now - first.instant).inSeconds
        return span > 0 ? Double(recent.dropFirst().reduce(0) { $0 + $1.samples }) / span : 0
    }
}
