import Synchronization

extension Atomic where Value == Int {
    /// The current value. (`#expect` cannot take a method call on a non-copyable value apart.)
    public var value: Int { load(ordering: .sequentiallyConsistent) }
}

extension Atomic where Value == Bool {
    /// The current value.
    public var value: Bool { load(ordering: .sequentiallyConsistent) }
}
