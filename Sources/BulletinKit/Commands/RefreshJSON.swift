import Models

/// The members of a refresh's JSON summary, one vocabulary for `fetch --format json` and
/// `run --format json` (which adds its deliveries and exit code).
enum RefreshJSON {
    static func fields(_ report: Pipeline.RefreshReport, tagged: Int) -> [(String, JSON)] {
        [
            ("attempted", .int(report.attempted)),
            ("skipped", .int(report.skipped)),
            ("changed", .int(report.changed)),
            ("unchanged", .int(report.unchanged)),
            ("failed", .array(report.failures.map { failure in
                .object([
                    ("feed", .string(failure.feed.title)),
                    ("url", .string(failure.feed.url)),
                    ("error", .string(failure.error)),
                    ("status", failure.status.map(JSON.int) ?? .null),
                    ("consecutive_failures", .int(failure.consecutiveFailures)),
                    ("flagged", .bool(failure.flagged)),
                    ("gone", .bool(failure.gone)),
                    ("attempted", .bool(failure.attempted)),
                    ("next_attempt", .string(failure.nextAttempt.map(Timestamp.rfc3339))),
                ])
            })),
            ("incomplete", .array(report.warnings.map { warning in
                .object([("feed", .string(warning.feed.title)), ("url", .string(warning.feed.url)),
                         ("warning", .string(warning.warning))])
            })),
            ("moved", .array(report.moves.map { move in
                .object([("feed", .string(move.feed.title)), ("from", .string(move.from)), ("to", .string(move.to))])
            })),
            ("new_entries", .int(report.newEntries)),
            ("tagged", .int(tagged)),
            ("bytes", .int(report.bytes)),
            ("seconds", .number(report.seconds)),
        ]
    }
}
