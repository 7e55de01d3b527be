import ArgumentParser
import Hit

/// Numbers given to flags are read in decimal only (see `Double(decimal:)`).
enum DecimalArgument {
    /// For `@Option(transform:)`: the value, or the error the parser reports as "'0x10' is invalid for '-rps'".
    static func double(_ text: String) throws -> Double {
        guard let value = Double(decimal: text) else { throw ValidationError("write the number in decimal, e.g. 10 or 2.5") }
        return value
    }
}
