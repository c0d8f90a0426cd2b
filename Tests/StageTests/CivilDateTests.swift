import FoundationEssentials
import Models
import Parsing
import Storage
import Testing

/// The one days-from-civil routine (`CivilDate`; the day numbers are Python's `datetime`'s)
/// and the one date grammar (`DateBound`) that feed dates, search, prune, digest and ack
/// use (Retry-After: `RetryAfterTests`).
@Suite struct CivilDateTests {
    @Test(arguments: [
        (1970, 1, 1, 0), (1969, 12, 31, -1), (2000, 2, 29, 11_016), (2000, 3, 1, 11_017), (2024, 1, 1, 19_723),
        (1900, 3, 1, -25_508), (1600, 1, 1, -135_140), (2100, 12, 31, 47_846), (1, 1, 1, -719_162),
    ])
    func daysFromCivilAndBack(year: Int, month: Int, day: Int, days: Int) {
        #expect(CivilDate.days(year: year, month: month, day: day) == days)
        #expect(CivilDate.date(days: days) == (year, month, day))
    }

    @Test func everyDayOfFourHundredYearsComesBackAsItself() {
        var expected = CivilDate.days(year: 1900, month: 1, day: 1)!
        for year in 1900..<2300 {
            for month in 1...12 {
                for day in 1...CivilDate.daysIn(month: month, year: year) {
                    let days = CivilDate.days(year: year, month: month, day: day)
                    if days != expected { Issue.record("\(year)-\(month)-\(day): \(String(describing: days))") }
                    expected += 1
                }
            }
        }
        #expect(expected == CivilDate.days(year: 2300, month: 1, day: 1))
    }

    @Test(arguments: [(2023, 2, 29), (2100, 2, 29), (2024, 4, 31), (2024, 13, 1), (2024, 0, 1), (2024, 1, 0)])
    func daysThatDoNotExistAreNil(year: Int, month: Int, day: Int) {
        #expect(CivilDate.days(year: year, month: month, day: day) == nil)
    }

    @Test func everyStageReadsDatesThroughIt() throws {
        let day = Int64(CivilDate.days(year: 2024, month: 2, day: 29)!) * 86_400
        #expect(DateBound("2024-02-29") == .day(startingAt: day))
        #expect(DateBound("2023-02-29") == nil)
        #expect(FeedDate.parse("Thu, 29 Feb 2024 00:00:00 GMT") == Date(timeIntervalSince1970: TimeInterval(day)))
    }

    @Test(arguments: [("12h", 43_200), ("30d", 2_592_000), ("2w", 1_209_600), ("1y", 31_536_000), ("0d", 0)])
    func anAgeCountsBackForSinceAndForwardForAck(text: String, seconds: Int64) throws {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let bound = try #require(DateBound(text))
        #expect(bound.start(now: now) == 1_700_000_000 - seconds)
        #expect(bound.ahead(of: now) == 1_700_000_000 + seconds)
    }

    @Test(arguments: ["", "d", "7", "7x", "-7d", "yesterday", "2024-1-01", "2024-01-01T12:00:00", "２d", "10001d"])
    func whatIsNeitherAnAgeNorADateIsRefused(text: String) {
        #expect(DateBound(text) == nil)
    }
}
