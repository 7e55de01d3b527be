extension JSONReport {
    /// The report with its secrets redacted again, as a run redacts them (`Redaction`): a report
    /// read from elsewhere may have been made by hand, or with `--show-secrets`, and must not carry
    /// a password into the HTML or a merge. The configuration digest is left as written, so that
    /// shards still match.
    public func redacted() -> JSONReport {
        guard !Redaction.showsSecrets else { return self }
        var report = self
        report.configuration = configuration.redacted()
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

extension RunConfiguration {
    /// The configuration with its secrets redacted again: the targets' URLs, the headers' values,
    /// the password of `-a`, the proxy's URL.
    public func redacted() -> RunConfiguration {
        guard !Redaction.showsSecrets else { return self }
        var configuration = self
        configuration.targets = targets.map { target in
            var target = target
            target.url = Redaction.url(target.url)
            return target
        }
        configuration.headers = headers.map(Redaction.header)
        configuration.user = user.map { user in
            user.firstIndex(of: ":").map { Redaction.credentials(user: String(user[..<$0]), password: "") } ?? user
        }
        configuration.proxy = proxy.map(Redaction.url)
        return configuration
    }
}
