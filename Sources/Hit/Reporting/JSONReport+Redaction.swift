extension JSONReport {
    /// The report with its secrets redacted again, as a run redacts them (`Redaction`): a report
    /// read from elsewhere may have been made by hand, or with `--show-secrets`, and must not carry
    /// a password into the HTML or a merge. The configuration digest is left as written, so that
    /// shards still match.
    public func redacted() -> JSONReport {
        guard !Redaction.showsSecrets else { return self }
        var report = self
        report.configuration.targets = configuration.targets.map { target in
            var target = target
            target.url = Redaction.url(target.url)
            return target
        }
        report.configuration.headers = configuration.headers.map(Redaction.header)
        report.configuration.user = configuration.user.map { user in
            user.firstIndex(of: ":").map { Redaction.credentials(user: String(user[..<$0]), password: "") } ?? user
        }
        report.configuration.proxy = configuration.proxy.map(Redaction.url)
        report.targets = targets.map { figures in
            var figures = figures
            figures.url = Redaction.url(figures.url)
            return figures
        }
        report.transportErrors = transportErrors.map { figures in
            var figures = figures
            figures.example = Redaction.text(figures.example)
            return figures
        }
        return report
    }
}
