import MazeCore
import Testing

@Suite("Quantile")
struct QuantileTests {
    @Test("The median averages the two middle values of an even count, in any order; none of nothing")
    func median() {
        #expect(Quantile.median([3.0, 1, 2]) == 2)
        #expect(Quantile.median([4.0, 1, 3, 2]) == 2.5)
        #expect(Quantile.median([Float(7)]) == 7)
        #expect(Quantile.median([Double]()) == nil)
    }

    @Test("Nearest rank is ⌈fraction·count⌉ clamped to 1...count, and picks an observed value")
    func nearestRank() {
        #expect(Quantile.nearestRank(0.5, count: 4) == 2)
        #expect(Quantile.nearestRank(0.5, count: 5) == 3)
        #expect(Quantile.nearestRank(0.99, count: 100) == 99)
        #expect(Quantile.nearestRank(0, count: 10) == 1)
        #expect(Quantile.nearestRank(1.5, count: 10) == 10)
        #expect(Quantile.nearestRank(.nan, count: 10) == 1)
        let hundred = (1...100).reversed().map(UInt64.init)
        #expect(Quantile.nearestRank(0.5, of: hundred) == 50)
        #expect(Quantile.nearestRank(0.9, of: hundred) == 90)
        #expect(Quantile.nearestRank(1, of: hundred) == 100)
        #expect(Quantile.nearestRank(0.5, of: [UInt64]()) == nil)
    }
}
