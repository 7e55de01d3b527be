import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

// Signals first: one that comes while the arguments are read cancels the run before it starts.
let interrupts = Interrupts()
// A reader that goes away (`hit ... | head -1`) must not kill hit with SIGPIPE.
signal(SIGPIPE, SIG_IGN)
let status = CLI.run(arguments: Array(CommandLine.arguments.dropFirst()), raw: .process, cancellation: interrupts.token,
                     onStart: interrupts.beginRun, onReport: interrupts.beginReport)
exit(status.rawValue)
