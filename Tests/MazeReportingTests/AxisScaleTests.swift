import Testing

@testable import MazeReporting

@Suite("Chart axes")
struct AxisScaleTests {
    @Test("ticks are 1, 2 or 5 times a power of ten and cover the data")
    func niceTicks() {
        let returns = AxisScale(minimum: 6, maximum: 198)
        #expect(returns.ticks == [0, 50, 100, 150, 200])
        #expect(returns.ticks.map(returns.label) == ["0", "50", "100", "150", "200"])
        let losses = AxisScale(minimum: -0.31, maximum: 0.07)
        #expect(losses.lower <= -0.31 && losses.upper >= 0.07)
        #expect(losses.ticks.map(losses.label) == ["-0.4", "-0.3", "-0.2", "-0.1", "0.0", "0.1"])
    }

    @Test("epoch axes tick on whole numbers; a single value gets a widened range")
    func integralAndDegenerate() {
        #expect(AxisScale(minimum: 1, maximum: 3, integral: true).ticks == [1, 2, 3])
        let single = AxisScale(minimum: 475, maximum: 475)
        #expect(single.lower < 475 && single.upper > 475)
        #expect(single.fraction(475) > 0 && single.fraction(475) < 1)
    }

    @Test("extreme magnitudes are labelled in scientific notation")
    func scientific() {
        let tiny = AxisScale(minimum: 0.00001, maximum: 0.00005)
        #expect(tiny.ticks.map(tiny.label).last == "5.0e-05")
        let huge = AxisScale(minimum: 0, maximum: 3e7)
        #expect(huge.label(huge.upper) == "3.0e+07")
    }
}
