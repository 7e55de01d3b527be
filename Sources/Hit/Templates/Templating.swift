/// How a run fills its requests' `{{...}}` placeholders: the seed of its random values and the
/// feed whose rows give the other fields (see `Template`).
public struct Templating: Sendable, Equatable {
    /// Seeds `{{uuid}}` and `{{rand:A:B}}`, and `FeedOrder.random`'s choice of rows.
    public var seed: UInt64
    /// The rows the fields come from, if any.
    public var feed: Feed?
    public var feedOrder: FeedOrder

    /// Which feed row a request takes.
    public enum FeedOrder: String, Sendable, Equatable, CaseIterable {
        /// Request i takes row i mod rows.
        case cycle
        /// A row chosen at random for each request (from the seed and the request's index).
        case random
        /// Row i for request i, each at most once: the run ends when the rows are used up.
        case once
    }

    public init(seed: UInt64, feed: Feed? = nil, feedOrder: FeedOrder = .cycle) {
        self.seed = seed
        self.feed = feed
        self.feedOrder = feedOrder
    }

    /// The fields its templates may name: the feed's columns.
    public var fields: Set<String> { Set(feed?.columns ?? []) }

    /// Under `FeedOrder.once`, the most requests the run may send: one a row.
    public var requestLimit: Int? {
        guard feedOrder == .once, let feed else { return nil }
        return feed.count
    }

    /// The feed row of the request at `index` in the whole run, as values by field.
    public func row(for index: Int) -> [String: String] {
        guard let feed, let row = rowIndex(for: index) else { return [:] }
        return feed.row(row)
    }

    /// Which feed row the request at `index` in the whole run takes; `nil` without a feed.
    func rowIndex(for index: Int) -> Int? {
        guard let feed, feed.count > 0 else { return nil }
        switch feedOrder {
        case .cycle, .once: return index % feed.count
        case .random:
            var random = TemplateRandom(seed: ~seed, index: index)
            return Int(random.next(in: 0...Int64(feed.count - 1)))
        }
    }
}
