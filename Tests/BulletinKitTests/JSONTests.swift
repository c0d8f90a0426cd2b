@testable import BulletinKit
import Testing

/// The one JSON writer of `--format json`: JSON has no NaN or infinity, so a number that is
/// not finite is written as null, never as `nan` or `inf`.
@Suite struct JSONTests {
    @Test(arguments: [(Double.nan, "null"), (.infinity, "null"), (-.infinity, "null"), (0.8415, "0.842"), (2, "2.0")])
    func numbers(value: Double, written: String) {
        #expect(JSON.number(value).rendered() == written)
    }

    @Test func anObjectWithANonFiniteNumberIsStillJSON() {
        let text = JSON.object([("seconds", .number(.nan)), ("bytes", .int(3))]).rendered()
        #expect(!text.contains("nan") && text.contains("\"seconds\": null"))
    }
}
