/// `bulletin run --format json`: what the run did, for scripts and monitoring (schema in
/// the README).
struct RunJSONSummary {
    let report: Pipeline.RefreshReport
    let tags: Int
    let deliveries: [DeliveryOutcome]
    let exitCode: ExitCode

    /// The refresh's members as `fetch --format json` writes them, then the deliveries and
    /// the exit code.
    var json: JSON {
        .object(RefreshJSON.fields(report, tagged: tags) + [
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
