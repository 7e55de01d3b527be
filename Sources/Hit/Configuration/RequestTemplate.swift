import FoundationEssentials

/// A target's URL, header values and body read as templates (`Template`), once before a run, and
/// rendered for each request.
public struct RequestTemplate: Sendable, Equatable {
    public let url: Template
    /// Each header line as a template.
    public let headers: [Template]
    public let body: Template?

    /// Where a template of a request is wrong, and why.
    public struct Problem: Error, Equatable, CustomStringConvertible {
        /// `the URL`, `the header 'Name'`, `the body`.
        public let place: String
        public let reason: String
        public var description: String { "\(place): \(reason)" }
    }

    /// The templates of `request`; `fields` are the feed's columns. A placeholder in the URL's
    /// scheme, host or port is refused: connections are planned by origin, before any request.
    public init(_ request: Request, fields: Set<String>) throws(Problem) {
        do {
            url = try Template(parsing: request.url, fields: fields)
        } catch {
            throw Problem(place: "the URL", reason: error.description)
        }
        if let open = request.url.firstRange(of: "{{"), !Self.isPastTheOrigin(open.lowerBound, in: request.url) {
            throw Problem(place: "the URL", reason: "a placeholder before the path: the scheme, host and port are written out (connections are planned by them)")
        }
        var headers: [Template] = []
        for line in request.headers {
            do {
                headers.append(try Template(parsing: line, fields: fields))
            } catch {
                let name = line.split(separator: ":", maxSplits: 1).first.map(String.init) ?? line
                throw Problem(place: "the header '\(name)'", reason: error.description)
            }
        }
        self.headers = headers
        if let bytes = request.body?.contents {
            do {
                body = try Template(parsing: String(decoding: bytes, as: UTF8.self), fields: fields)
            } catch {
                throw Problem(place: "the body", reason: error.description)
            }
        } else {
            body = nil
        }
    }

    /// Whether `index` lies after the authority of `url` (`scheme://authority/`).
    private static func isPastTheOrigin(_ index: String.Index, in url: String) -> Bool {
        guard let scheme = url.firstRange(of: "://"), let path = url[scheme.upperBound...].firstIndex(where: { "/?#".contains($0) })
        else { return false }
        return index >= path
    }

    /// Whether any of its templates reads the clock (`{{now}}`): only then is it read per request.
    public var readsClock: Bool {
        url.readsClock || headers.contains(where: \.readsClock) || body?.readsClock == true
    }

    /// The request at `index` in the whole run: only the parts that have placeholders (the
    /// others stay as the target has them on the worker's handle).
    func render(index: Int, templating: Templating, now: Int64) -> RenderedRequest {
        let row = templating.rowIndex(for: index)
        let feed = templating.feed
        func text(_ template: Template) -> String {
            template.render(index: index, seed: templating.seed, now: now) { name in
                guard let feed, let row else { return nil }
                return feed.value(row: row, named: name)
            }
        }
        return RenderedRequest(url: url.isConstant ? nil : text(url),
                               headers: headers.allSatisfy(\.isConstant) ? nil : headers.map(text),
                               body: body.flatMap { $0.isConstant ? nil : Array(text($0).utf8) })
    }
}
