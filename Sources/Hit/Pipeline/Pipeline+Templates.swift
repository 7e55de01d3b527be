extension Pipeline {
    /// Under `templating`, what makes each request of `targets` from its index and target, with
    /// every template read once here, before anything is sent; `nil` without templating.
    static func renderer(targets: [Request], templating: Templating?) throws(SetupError)
        -> (@Sendable (_ index: Int, _ target: Int) -> RenderedRequest)? {
        guard let templating else { return nil }
        var templates: [RequestTemplate] = []
        for target in targets {
            do {
                templates.append(try RequestTemplate(target, fields: templating.fields))
            } catch {
                throw SetupError("a template of \(Redaction.url(target.url)) cannot be read: \(error)")
            }
        }
        let readsClock = templates.map(\.readsClock)
        return { [templates] index, target in
            let now = readsClock[target] ? WallClock.unixNanoseconds() / 1_000_000 : 0
            return templates[target].render(index: index, templating: templating, now: now)
        }
    }
}
