/// `bulletin run --format json`: what the run did, for scripts and monitoring (schema in
/// the README).
struct RunJSONSummary {
    let feeds: Int
    let report: Pipeline.RefreshReport
    let tags: Int
    let deliveries: [DeliveryOutcome]
    let exitCode: ExitCode

    var json: JSON {
        .object([
            ("feeds", .object([
                ("total", .int(feeds)), ("changed", .int(report.changed)), ("unchanged", .int(report.unchanged)),
                ("failed", .int(report.failures.count)),
            ])),
            ("failures", .array(report.failures.map { failure in
                .object([("feed", .string(failure.feed.title)), ("url", .string(failure.feed.url)),
                         ("reason", .string(failure.error))])
            })),
            ("incomplete", .array(report.warnings.map { warning in
                .object([("feed", .string(warning.feed.title)), ("url", .string(warning.feed.url)),
                         ("reason", .string(warning.warning))])
            })),
            ("entries", .object([("new", .int(report.newEntries)), ("tagged", .int(tags))])),
            ("deliveries", .array(deliveries.map { outcome in
                .object([
                    ("channel", .string(outcome.channel)), ("kind", .string(outcome.kind)),
                    ("status", .string(outcome.status.rawValue)), ("rows", .int(outcome.rows)),
                    ("entries", .int(outcome.entries)), ("detail", .string(outcome.detail)),
                ])
            })),
            ("exit_code", .int(Int(exitCode.rawValue))),
        ])
    }
}
