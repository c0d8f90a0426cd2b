import Foundation
import Testing
import TestSupport

/// `BULLETIN_NOW` starts the clock of every stage at the moment it names: the soak test and
/// anyone rehearsing a schedule rely on ages and expiries counting from it.
@Suite struct WallClockTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
        try directory.write("[[service]]\nname = \"nginx\"\n", to: "config/inventory.toml")
    }

    private func bulletin(_ arguments: [String], now: String?) throws -> ProcessResult {
        var environment = ProcessInfo.processInfo.environment
        environment["BULLETIN_NOW"] = now
        return try runBulletin(arguments + ["--config", directory.path("config"), "--db", directory.path("db.sqlite3")],
                               environment: environment)
    }

    private func acks(now: String?) throws -> [[String: Any]] {
        let result = try bulletin(["acks", "--format", "json"], now: now)
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    }

    @Test func agesAndExpiriesCountFromTheInjectedMoment() throws {
        let ack = try bulletin(["ack", "CVE-2024-3094", "--until", "30d"], now: "2027-03-01T06:00:00Z")
        #expect(ack.status == 0, "\(ack.stderr)")
        let listed = try acks(now: "2027-03-01T06:00:00Z")
        #expect(listed.first?["created"] as? String == "2027-03-01T06:00:00Z")
        #expect(listed.first?["until"] as? String == "2027-03-31T06:00:00Z")
        #expect(try acks(now: "2027-03-31T05:59:00Z").count == 1, "still hidden a minute before it ends")
        #expect(try acks(now: "2027-03-31T06:01:00Z").isEmpty, "expired a minute after")
    }

    @Test func aValueThatIsNotAMomentIsAUsageError() throws {
        let result = try bulletin(["acks"], now: "tomorrow")
        #expect(result.status == 2)
        #expect(result.stderr.contains("BULLETIN_NOW: \"tomorrow\" is not a moment"))
    }

    @Test func anEmptyValueMeansTheSystemClock() throws {
        #expect(try bulletin(["ack", "CVE-2024-3094"], now: "").status == 0)
        let created = try #require(try acks(now: nil).first?["created"] as? String)
        let date = try Date(created, strategy: Date.ISO8601FormatStyle())
        #expect(abs(date.timeIntervalSinceNow) < 600)
    }
}
