import Dispatch
import Hit

/// The CSV rows of a run (`-o csv` and `--csv-file`): a writer per file, flushed every quarter of
/// a second, so that rows reach their file even when results stop coming.
/// A file that can take no more rows (a closed pipe, a full disk) stops the run through `stop`,
/// saying why: it would only load the server for rows that go nowhere.
struct CSVOutputs: Sendable {
    let writers: [CSVWriter]

    init(files: [OutputFile], targets: [String], secrets: [String], stop: CancellationToken) {
        writers = files.map { file in
            CSVWriter(output: { bytes in
                guard file.write(bytes) else {
                    stop.cancel(because: .caller(cause: file.readerWentAway ? "the reader of the CSV rows went away"
                                                     : "the CSV rows could not be written to \(file.name)", fails: false))
                    return false
                }
                return true
            }, targets: targets, secrets: secrets)
        }
    }

    func write(_ result: RequestResult) {
        for writer in writers { writer.write(result) }
    }

    /// Starts the timer that flushes the rows every quarter of a second; cancel it as the run
    /// ends (the report's writer flushes the rest). `nil` without CSV files.
    func flushingEveryQuarterSecond() -> (any DispatchSourceTimer)? {
        guard !writers.isEmpty else { return nil }
        let flusher = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "hit.csv"))
        flusher.schedule(deadline: .now() + .milliseconds(250), repeating: .milliseconds(250))
        flusher.setEventHandler { [writers] in writers.forEach { $0.flush() } }
        flusher.resume()
        return flusher
    }
}
