import Foundation

enum Terminal {
    /// The width to fit text to: the terminal's, when `handle` is one; else $COLUMNS; else 80.
    static func width(of handle: FileHandle) -> Int {
        var size = winsize()
        if isatty(handle.fileDescriptor) == 1, ioctl(handle.fileDescriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
            return Int(size.ws_col)
        }
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 {
            return columns
        }
        return 80
    }
}
