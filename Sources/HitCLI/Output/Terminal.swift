import FoundationEssentials
import Hit
#if canImport(Glibc)
import Glibc
#endif

enum Terminal {
    /// The widest report hit lays out, whatever the terminal or $COLUMNS says.
    static let maximumWidth = 1000

    /// Whether text written to `descriptor` may be coloured: it is a terminal, `NO_COLOR` is unset
    /// (or empty, as no-color.org says) and `TERM` is not `dumb`.
    static func takesColour(_ descriptor: Int32, environment: [String: String] = ProcessEnvironment.variables) -> Bool {
        isatty(descriptor) == 1 && (environment["NO_COLOR"].map(\.isEmpty) ?? true) && environment["TERM"] != "dumb"
    }

    /// The width to fit text to: the terminal's, when `descriptor` is one; else $COLUMNS; else 80.
    /// Never more than `maximumWidth`.
    static func width(of descriptor: Int32) -> Int {
        var size = winsize()
        if isatty(descriptor) == 1, ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
            return min(Int(size.ws_col), maximumWidth)
        }
        if let columns = ProcessEnvironment.variables["COLUMNS"].flatMap(Int.init), columns > 0 {
            return min(columns, maximumWidth)
        }
        return 80
    }
}
