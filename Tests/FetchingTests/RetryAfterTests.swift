import Fetching
import Foundation
import Models
import Testing

/// `Retry-After` (RFC 9110 §10.2.3): delay-seconds, or an HTTP-date read through the one
/// days-from-civil routine (`CivilDate`).
@Suite struct RetryAfterTests {
    let now = Date(timeIntervalSince1970: TimeInterval(CivilDate.days(year: 2024, month: 2, day: 29)! * 86_400))

    @Test(arguments: [
        ("120", 120.0), (" 7200 ", 7200), ("Thu, 29 Feb 2024 01:00:00 GMT", 3600), ("Wed, 28 Feb 2024 23:00:00 GMT", 0),
        ("Sun, 06 Nov 1994 08:49:37 GMT", 0), ("Fri, 01 Mar 2024 00:00:00 GMT", 86_400),
    ])
    func readableValues(value: String, seconds: Double) {
        #expect(RetryAfter.seconds(value, now: now) == seconds)
    }

    @Test(arguments: ["", "soon", "-5", "Fri, 30 Feb 2024 01:00:00 GMT", "Thu, 29 Feb 2024 25:00:00 GMT",
                      "Thu, 29 Foo 2024 01:00:00 GMT", "Thu, 29 Feb 2024 01:00:00 PST"])
    func unreadableValuesAreNil(value: String) {
        #expect(RetryAfter.seconds(value, now: now) == nil)
    }
}
