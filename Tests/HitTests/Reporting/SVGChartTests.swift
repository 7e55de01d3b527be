import Foundation
@testable import Hit
import Testing

/// The charts of the HTML report, and the page around them.
@Suite struct SVGChartTests {
    /// A chart's ticks stop: at most `maximumTicks`, whatever the values (they once looped,
    /// growing memory, on a step lost in a huge value's precision).
    @Test(.timeLimit(.minutes(1)), arguments: [[-1e308, 1e308], [1e300, 1e300 + 1], [0, .infinity], [.nan, 1], [1e-300, 1e300]] as [[Double]])
    func chartTicksEndWhateverTheValues(values: [Double]) {
        for scale in [SVGChart.Scale.linear, .logarithmic] {
            let chart = SVGChart(title: "t", x: SVGChart.Axis(label: "x", format: { "\($0)" }),
                                 y: SVGChart.Axis(label: "y", scale: scale, format: { "\($0)" }),
                                 series: [SVGChart.Series(name: "s", colour: "s0", points: values.enumerated().map { (values[$0.offset], $0.element) })])
            let svg = chart.svg
            #expect(svg.components(separatedBy: "class=\"tick\"").count - 1 <= 2 * SVGChart.maximumTicks)
        }
    }

    /// The page's policy: no request leaves it, no base URL nor form target can be planted.
    @Test func thePagePolicyAllowsNoBaseNorForm() {
        let page = HTML.page(title: "t", generator: "g", body: "", footer: "")
        #expect(page.contains("content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\""))
    }
}
