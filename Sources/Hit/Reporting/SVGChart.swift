#if canImport(Glibc)
import Glibc
#endif

/// A line or bar chart drawn as inline SVG, for the HTML report: axes with labelled ticks and
/// units, a light grid, a legend, and one path (or a row of bars) per series. Colours come from
/// CSS classes (`s0`…`s5`, `bad`), so that the page's light and dark themes restyle every chart.
struct SVGChart {
    enum Scale {
        case linear
        /// Base-10 logarithmic; values at or below zero are left out.
        case logarithmic
    }

    enum Style {
        case line
        case dashed
        case bars
        case dots
        /// A thin, pale dashed line drawn beneath the others: a reference (an asked rate, a rule's
        /// limit) that must never hide what was measured.
        case reference
    }

    struct Series {
        var name: String
        /// The CSS class that colours it: "s0"…"s5", or "bad" for errors.
        var colour: String
        var style: Style = .line
        /// A point whose y is NaN is a gap: no data there (an interval without a response), and a
        /// line breaks across it instead of joining its neighbours.
        var points: [(x: Double, y: Double)]
    }

    struct Axis {
        var label: String
        var scale: Scale = .linear
        /// How a tick's value reads: "2 s", "99.9%", "12 ms".
        var format: (Double) -> String
        /// Fixed ticks, instead of round numbers chosen from the data.
        var ticks: [Double]?
        /// The axis starts at zero on a linear scale, whatever the data.
        var fromZero = true
        /// The range to draw, whatever the data: every time chart of a page shares one.
        var fixedRange: ClosedRange<Double>?
    }

    var title: String
    var x: Axis
    var y: Axis
    var series: [Series]
    var width = 1180.0
    var height = 280.0

    private let left = 70.0, right = 36.0, top = 16.0, bottom = 64.0

    var svg: String {
        let points = series.flatMap(\.points).filter { $0.y.isFinite && $0.x.isFinite && (y.scale == .linear || $0.y > 0) }
        guard !points.isEmpty else {
            return "<p class=\"empty\">\(HTML.escape(title)): nothing to draw.</p>"
        }
        let xRange = range(points.map(\.x), axis: x, padBars: series.contains { $0.style == .bars })
        let yRange = range(points.map(\.y), axis: y, padBars: false)
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        func px(_ value: Double) -> Double { left + plotWidth * position(value, in: xRange, scale: x.scale) }
        func py(_ value: Double) -> Double { top + plotHeight * (1 - position(value, in: yRange, scale: y.scale)) }

        var out = "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 \(n(width)) \(n(height))\" xmlns=\"http://www.w3.org/2000/svg\">"
        out += "<title>\(HTML.escape(title))</title>"
        // Grid and ticks.
        for tick in ticks(yRange, axis: y) {
            let at = py(tick)
            out += "<line class=\"grid\" x1=\"\(n(left))\" x2=\"\(n(width - right))\" y1=\"\(n(at))\" y2=\"\(n(at))\"/>"
            out += "<text class=\"tick\" x=\"\(n(left - 6))\" y=\"\(n(at + 4))\" text-anchor=\"end\">\(HTML.escape(y.format(tick)))</text>"
        }
        for tick in ticks(xRange, axis: x) {
            let at = px(tick)
            out += "<line class=\"grid\" x1=\"\(n(at))\" x2=\"\(n(at))\" y1=\"\(n(top))\" y2=\"\(n(top + plotHeight))\"/>"
            out += "<text class=\"tick\" x=\"\(n(at))\" y=\"\(n(top + plotHeight + 16))\" text-anchor=\"middle\">\(HTML.escape(x.format(tick)))</text>"
        }
        out += "<rect class=\"frame\" x=\"\(n(left))\" y=\"\(n(top))\" width=\"\(n(plotWidth))\" height=\"\(n(plotHeight))\"/>"
        out += "<text class=\"axis\" x=\"\(n(left + plotWidth / 2))\" y=\"\(n(height - 28))\" text-anchor=\"middle\">\(HTML.escape(x.label))</text>"
        out += "<text class=\"axis\" transform=\"translate(14 \(n(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\">\(HTML.escape(y.label))</text>"
        // Series.
        let barSeries = series.filter { $0.style == .bars }
        let slot = barSlot(xRange: xRange, plotWidth: plotWidth)
        // References first, so that every measured series is drawn over them.
        let ordered = series.filter { $0.style == .reference } + series.filter { $0.style != .reference }
        for (index, one) in ordered.enumerated() {
            let sorted = one.points.filter { $0.x.isFinite && ($0.y.isNaN || y.scale == .linear || $0.y > 0) }.sorted { $0.x < $1.x }
            let drawn = sorted.filter { $0.y.isFinite }
            guard !drawn.isEmpty else { continue }
            switch one.style {
            case .line, .dashed, .reference:
                // One run of points per stretch of data: a gap (NaN) ends a run, and the line breaks.
                var runs: [[(x: Double, y: Double)]] = [[]]
                for point in sorted {
                    if point.y.isFinite { runs[runs.count - 1].append(point) } else if !runs[runs.count - 1].isEmpty { runs.append([]) }
                }
                let path = runs.filter { !$0.isEmpty }.map { run in
                    run.enumerated().map { "\($0.offset == 0 ? "M" : "L")\(n(px($0.element.x))) \(n(py($0.element.y)))" }.joined(separator: " ")
                }.joined(separator: " ")
                let style = one.style == .dashed ? " dashed" : one.style == .reference ? " reference" : ""
                out += "<path class=\"series \(one.colour)\(style)\" d=\"\(path)\"/>"
                for run in runs where run.count == 1 { out += dot(px(run[0].x), py(run[0].y), one.colour) }
            case .dots:
                for point in drawn { out += dot(px(point.x), py(point.y), one.colour) }
            case .bars:
                let barIndex = Double(barSeries.firstIndex { $0.name == one.name } ?? 0)
                let barWidth = slot / Double(max(barSeries.count, 1))
                for point in drawn {
                    let x0 = px(point.x) - slot / 2 + barIndex * barWidth
                    let y0 = py(max(point.y, yRange.lowerBound)), base = py(yRange.lowerBound)
                    out += "<rect class=\"bar \(one.colour)\" x=\"\(n(x0))\" y=\"\(n(min(y0, base)))\" width=\"\(n(max(1, barWidth - 1)))\" height=\"\(n(abs(base - y0)))\"><title>\(HTML.escape(one.name)): \(HTML.escape(y.format(point.y)))</title></rect>"
                }
            }
            _ = index
        }
        // Legend, under the x axis label.
        var legendX = left
        for one in series {
            out += "<rect class=\"key \(one.colour)\" x=\"\(n(legendX))\" y=\"\(n(height - 14))\" width=\"12\" height=\"\(one.style == .dashed || one.style == .reference ? 3 : 8)\"/>"
            out += "<text class=\"legend\" x=\"\(n(legendX + 16))\" y=\"\(n(height - 6))\">\(HTML.escape(one.name))</text>"
            legendX += 28 + Double(one.name.count) * 6.6
        }
        return out + "</svg>"
    }

    private func dot(_ x: Double, _ y: Double, _ colour: String) -> String {
        "<circle class=\"dot \(colour)\" cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"2.5\"/>"
    }

    private func barSlot(xRange: ClosedRange<Double>, plotWidth: Double) -> Double {
        let xs = Set(series.filter { $0.style == .bars }.flatMap { $0.points.map(\.x) }).sorted()
        guard xs.count > 1 else { return min(40, plotWidth / 4) }
        let step = zip(xs, xs.dropFirst()).map { $1 - $0 }.min() ?? 1
        return max(2, min(40, plotWidth * step / (xRange.upperBound - xRange.lowerBound) * 0.8))
    }

    private func range(_ values: [Double], axis: Axis, padBars: Bool) -> ClosedRange<Double> {
        if let fixed = axis.fixedRange, fixed.lowerBound.isFinite, fixed.upperBound.isFinite, fixed.upperBound > fixed.lowerBound {
            return fixed
        }
        var low = values.min() ?? 0, high = values.max() ?? 1
        if let ticks = axis.ticks, let first = ticks.first, let last = ticks.last {
            low = min(low, first)
            high = max(high, last)
        }
        switch axis.scale {
        case .logarithmic:
            let lowDecade = pow(10, floor(log10(max(low, 1e-9))))
            let highDecade = pow(10, ceil(log10(max(high, lowDecade * 10))))
            return lowDecade...max(highDecade, lowDecade * 10)
        case .linear:
            if axis.fromZero { low = min(0, low) }
            if padBars, values.count > 0 {
                let xs = Set(values).sorted()
                let step = xs.count > 1 ? zip(xs, xs.dropFirst()).map { $1 - $0 }.min() ?? 1 : 1
                low = (xs.first ?? 0) - step / 2
                high = (xs.last ?? 0) + step / 2
            }
            if high <= low { high = low + 1 }
            let step = niceStep((high - low) / 5)
            if axis.ticks == nil, !padBars { high = ceil(high / step) * step }
            return low...high
        }
    }

    /// The most ticks an axis gets, whatever its range: a chart of a crafted report must not loop
    /// on a step too small to move its value, or on an endless range.
    static let maximumTicks = 64

    private func ticks(_ range: ClosedRange<Double>, axis: Axis) -> [Double] {
        if let ticks = axis.ticks { return Array(ticks.filter { range.contains($0) }.prefix(Self.maximumTicks)) }
        guard range.lowerBound.isFinite, range.upperBound.isFinite else { return [] }
        var ticks: [Double] = []
        switch axis.scale {
        case .logarithmic:
            var value = range.lowerBound
            while value <= range.upperBound * 1.0001, value > 0, value.isFinite, ticks.count < Self.maximumTicks {
                ticks.append(value)
                value *= 10
            }
        case .linear:
            let step = niceStep((range.upperBound - range.lowerBound) / 5)
            var value = ceil(range.lowerBound / step) * step
            while value <= range.upperBound + step * 1e-9, value.isFinite, ticks.count < Self.maximumTicks {
                ticks.append(abs(value) < step * 1e-9 ? 0 : value)
                let next = value + step
                guard next > value else { break }  // a step lost in the value's precision
                value = next
            }
        }
        return ticks
    }

    private func position(_ value: Double, in range: ClosedRange<Double>, scale: Scale) -> Double {
        switch scale {
        case .linear:
            return (value - range.lowerBound) / (range.upperBound - range.lowerBound)
        case .logarithmic:
            let low = log10(range.lowerBound), high = log10(range.upperBound)
            return (log10(max(value, range.lowerBound)) - low) / (high - low)
        }
    }

    /// 1, 2 or 5 times a power of ten, at least `rough`.
    private func niceStep(_ rough: Double) -> Double {
        guard rough > 0, rough.isFinite else { return 1 }
        let magnitude = pow(10, floor(log10(rough)))
        for multiple in [1.0, 2, 5, 10] where multiple * magnitude >= rough { return multiple * magnitude }
        return 10 * magnitude
    }

    /// A coordinate with at most one decimal.
    private func n(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}

/// The HTML pages' shared parts: escaping, and the self-contained page around a body.
enum HTML {
    /// A whole page: no request leaves it (its policy allows inline styles and data images only),
    /// styled by `HTMLReport.style` for light and dark themes.
    static func page(title: String, generator: String, body: String, footer: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light dark">
        <meta name="generator" content="\(escape(generator))">
        <title>\(escape(title))</title>
        <style>\(HTMLReport.style)</style>
        </head>
        <body>
        \(body)
        <footer>\(footer)</footer>
        </body>
        </html>

        """
    }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
