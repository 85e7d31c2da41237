/// A line chart drawn as inline SVG: axes with ticks and labels, one polyline per series, and an
/// optional shaded band (e.g. min–max of the episode returns) behind a series.
struct LineChart {
    struct Series {
        var name: String
        var points: [(x: Double, y: Double)]
        /// Lower and upper edge at each x, drawn as a translucent area in the series' colour.
        var band: [(x: Double, lower: Double, upper: Double)] = []
    }

    var title: String
    /// The x axis label; x values are steps (epochs), so its ticks are whole numbers.
    var xLabel: String
    var yLabel: String
    var series: [Series]

    private static let width = 640.0
    private static let height = 320.0
    private static let left = 70.0, right = 20.0, bottom = 46.0
    private static let legendColumns = 3, legendColumnWidth = 190.0, legendRowHeight = 14.0
    private static let palette = [
        "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
    ]

    /// The `<svg>` element.
    func svg() -> String {
        let xs = series.flatMap { $0.points.map(\.x) + $0.band.map(\.x) }.filter(\.isFinite)
        let ys = series.flatMap { $0.points.map(\.y) + $0.band.flatMap { [$0.lower, $0.upper] } }.filter(\.isFinite)
        let xAxis = AxisScale(minimum: xs.min() ?? 0, maximum: xs.max() ?? 1, integral: true)
        let yAxis = AxisScale(minimum: ys.min() ?? 0, maximum: ys.max() ?? 1)
        let legendRows = (series.count + Self.legendColumns - 1) / Self.legendColumns
        let top = 30 + Double(legendRows) * Self.legendRowHeight
        let plotWidth = Self.width - Self.left - Self.right
        let plotHeight = Self.height - top - Self.bottom
        func px(_ x: Double) -> Double { Self.left + xAxis.fraction(x) * plotWidth }
        func py(_ y: Double) -> Double { top + (1 - yAxis.fraction(y)) * plotHeight }

        var parts = [
            "<svg class=\"chart\" width=\"\(Int(Self.width))\" height=\"\(Int(Self.height))\""
                + " viewBox=\"0 0 \(Int(Self.width)) \(Int(Self.height))\" role=\"img\">",
            "<title>\(Markup.escaped(title))</title>",
            text(title, x: Self.left, y: 18, attributes: "font-size=\"15\" font-weight=\"bold\""),
        ]
        for tick in yAxis.ticks {
            let y = coordinate(py(tick))
            parts.append(
                "<line x1=\"\(coordinate(Self.left))\" y1=\"\(y)\" x2=\"\(coordinate(Self.width - Self.right))\" y2=\"\(y)\" stroke=\"#ddd\"/>"
            )
            parts.append(text(yAxis.label(tick), x: Self.left - 6, y: py(tick) + 4, attributes: "text-anchor=\"end\""))
        }
        for tick in xAxis.ticks {
            let x = coordinate(px(tick))
            parts.append(
                "<line x1=\"\(x)\" y1=\"\(coordinate(Self.height - Self.bottom))\" x2=\"\(x)\" y2=\"\(coordinate(Self.height - Self.bottom + 5))\" stroke=\"#333\"/>"
            )
            parts.append(
                text(
                    xAxis.label(tick), x: px(tick), y: Self.height - Self.bottom + 18,
                    attributes: "text-anchor=\"middle\""))
        }
        parts.append(
            "<rect x=\"\(coordinate(Self.left))\" y=\"\(coordinate(top))\" width=\"\(coordinate(plotWidth))\" height=\"\(coordinate(plotHeight))\" fill=\"none\" stroke=\"#333\"/>"
        )
        parts.append(
            text(xLabel, x: Self.left + plotWidth / 2, y: Self.height - 8, attributes: "text-anchor=\"middle\""))
        parts.append(
            text(
                yLabel, x: 0, y: 0,
                attributes:
                    "text-anchor=\"middle\" transform=\"translate(16 \(coordinate(top + plotHeight / 2))) rotate(-90)\""
            ))

        for (index, line) in series.enumerated() {
            let color = Self.palette[index % Self.palette.count]
            if !line.band.isEmpty {
                let outline =
                    line.band.map { (px($0.x), py($0.upper)) } + line.band.reversed().map { (px($0.x), py($0.lower)) }
                parts.append(
                    "<polygon class=\"band\" points=\"\(pointList(outline))\" fill=\"\(color)\" fill-opacity=\"0.18\" stroke=\"none\"/>"
                )
            }
            let points = line.points.map { (px($0.x), py($0.y)) }
            parts.append(
                "<polyline class=\"series\" points=\"\(pointList(points))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.8\"/>"
            )
            if points.count == 1, let only = points.first {
                parts.append(
                    "<circle cx=\"\(coordinate(only.0))\" cy=\"\(coordinate(only.1))\" r=\"3\" fill=\"\(color)\"/>")
            }
            let legendX = Self.left + Double(index % Self.legendColumns) * Self.legendColumnWidth
            let legendY = 34 + Double(index / Self.legendColumns) * Self.legendRowHeight
            parts.append(
                "<rect x=\"\(coordinate(legendX))\" y=\"\(coordinate(legendY - 5))\" width=\"12\" height=\"3\" fill=\"\(color)\"/>"
            )
            parts.append(text(line.name, x: legendX + 16, y: legendY, attributes: "font-size=\"11\""))
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    private func text(_ content: String, x: Double, y: Double, attributes: String) -> String {
        "<text x=\"\(coordinate(x))\" y=\"\(coordinate(y))\" \(attributes)>\(Markup.escaped(content))</text>"
    }

    private func pointList(_ points: [(Double, Double)]) -> String {
        points.map { "\(coordinate($0.0)),\(coordinate($0.1))" }.joined(separator: " ")
    }

    /// Pixel coordinates rounded to a tenth keep the file small.
    private func coordinate(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 1e9 else { return "0" }
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
