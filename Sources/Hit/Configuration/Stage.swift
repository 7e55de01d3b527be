/// One stage of an arrival-rate ramp (`--stages 30s:1000,2m:1000,30s:0`): over `duration`, the
/// rate moves linearly from where the previous stage ended to `target` requests per second, as
/// k6's ramping-arrival-rate executor does.
public struct Stage: Sendable, Equatable, CustomStringConvertible {
    public var duration: Duration
    /// Requests per second at the stage's end.
    public var target: Double

    public init(duration: Duration, target: Double) {
        self.duration = duration
        self.target = target
    }

    /// `30s:1000`.
    public var description: String {
        Formatting.duration(duration) + ":" + (target == target.rounded() && target < 1e15 ? String(Int(target)) : String(target))
    }

    /// Why a list of stages cannot be read.
    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// Reads `DURATION:RATE[,DURATION:RATE...]`: each duration with a unit (500ms, 30s, 2m, 1m30s)
    /// and above zero, each rate a finite number of requests per second, zero or more.
    public static func parseList(_ text: String) throws(ParseError) -> [Stage] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingWhitespace() }
        guard !text.trimmingWhitespace().isEmpty else { throw ParseError(description: "the stages are empty: give DURATION:RATE steps, e.g. 30s:100,1m:100,30s:0") }
        var stages: [Stage] = []
        for part in parts {
            guard !part.isEmpty else { throw ParseError(description: "'\(text)' has an empty stage") }
            let fields = part.split(separator: ":", omittingEmptySubsequences: false)
            guard fields.count == 2 else { throw ParseError(description: "'\(part)' is not DURATION:RATE, e.g. 30s:100") }
            guard let duration = Duration(parsing: String(fields[0])) else {
                throw ParseError(description: "'\(fields[0])' in '\(part)' is not a duration: use a number with a unit, e.g. 30s, 2m")
            }
            guard duration > .zero else { throw ParseError(description: "the stage '\(part)' lasts no time") }
            guard duration <= .seconds(30 * 86_400) else { throw ParseError(description: "the stage '\(part)' is longer than 30 days") }
            guard let rate = Double(decimal: fields[1]), rate.isFinite, rate >= 0 else {
                throw ParseError(description: "'\(fields[1])' in '\(part)' is not a rate: requests per second, zero or more")
            }
            guard rate <= Options.maximumRate else {
                throw ParseError(description: "\(fields[1]) requests per second in '\(part)' is above \(Int(Options.maximumRate))")
            }
            stages.append(Stage(duration: duration, target: rate))
        }
        return stages
    }
}
