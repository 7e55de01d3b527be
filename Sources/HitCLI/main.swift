import Foundation

// A reader that goes away (`hit ... | head -1`) must not kill hit with SIGPIPE.
signal(SIGPIPE, SIG_IGN)
// Signals first: one that comes while the arguments are read cancels the run before it starts.
let interrupts = Interrupts()
let status = CLI.run(arguments: Array(CommandLine.arguments.dropFirst()), cancellation: interrupts.token,
                     onReport: interrupts.beginReport)
exit(status.rawValue)
